// The umbrella module: `import Portcullis` brings in every layer.
@_exported public import PortcullisJOSE
@_exported public import PortcullisCrypto
@_exported public import PortcullisJWT
@_exported public import PortcullisPolicy
@_exported public import PortcullisOIDC
@_exported public import PortcullisJWE
