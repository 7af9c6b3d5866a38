/// The DER structures ``CryptoKey/init(der:format:)`` reads.
public enum DERFormat: Sendable, Hashable, CaseIterable {
    /// `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7), PEM label `PUBLIC KEY`.
    case spki
    /// `PrivateKeyInfo` (PKCS #8, RFC 5208 §5), PEM label `PRIVATE KEY`.
    case pkcs8
    /// `RSAPublicKey` (PKCS #1, RFC 8017 §A.1.1), PEM label `RSA PUBLIC KEY`.
    case pkcs1Public
    /// `RSAPrivateKey` (PKCS #1, RFC 8017 §A.1.2), PEM label `RSA PRIVATE KEY`.
    case pkcs1Private
    /// `ECPrivateKey` (SEC 1, RFC 5915 §3), PEM label `EC PRIVATE KEY`.
    case sec1
    /// An X.509 certificate (RFC 5280 §4.1), PEM label `CERTIFICATE`; its public key is used.
    case x509Certificate

    /// `true` for the formats that carry a private key.
    public var isPrivate: Bool {
        switch self {
        case .pkcs8, .pkcs1Private, .sec1: true
        case .spki, .pkcs1Public, .x509Certificate: false
        }
    }

    /// The PEM label of the format.
    public var pemLabel: String {
        switch self {
        case .spki: "PUBLIC KEY"
        case .pkcs8: "PRIVATE KEY"
        case .pkcs1Public: "RSA PUBLIC KEY"
        case .pkcs1Private: "RSA PRIVATE KEY"
        case .sec1: "EC PRIVATE KEY"
        case .x509Certificate: "CERTIFICATE"
        }
    }

    /// A human name for messages.
    var displayName: String {
        switch self {
        case .spki: "SubjectPublicKeyInfo"
        case .pkcs8: "PKCS #8 PrivateKeyInfo"
        case .pkcs1Public: "PKCS #1 RSAPublicKey"
        case .pkcs1Private: "PKCS #1 RSAPrivateKey"
        case .sec1: "SEC 1 ECPrivateKey"
        case .x509Certificate: "X.509 certificate"
        }
    }
}
