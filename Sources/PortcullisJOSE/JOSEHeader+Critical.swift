extension JOSEHeader {
    /// Applies the rules of `crit` (RFC 7515 §4.1.11). Does nothing when `crit` is absent.
    ///
    /// When present, `crit` must be a non-empty array of unique strings; none may be a header
    /// parameter name registered by RFC 7515 (``registeredNames``); each must name a parameter
    /// present in this header; and each must be in `understood`, the extensions the caller
    /// processes ("Recipients MUST … reject the JWS if … any of the listed extension Header
    /// Parameters are not understood and supported").
    ///
    /// - Parameter understood: The extension parameter names the caller implements.
    /// - Throws: `unsupported_critical_header`, with a message naming the offending parameter.
    public func validateCritical(understood: Set<String>) throws(PortcullisError) {
        guard let critical else { return }
        guard !critical.isEmpty else {
            throw PortcullisError(.unsupportedCriticalHeader, "\"crit\" must not be an empty array (RFC 7515 §4.1.11)", claim: "crit")
        }
        var seen = Set<String>()
        for name in critical {
            guard seen.insert(name).inserted else {
                throw PortcullisError(.unsupportedCriticalHeader, "\"crit\" lists \"\(name)\" more than once", claim: name)
            }
            guard !Self.registeredNames.contains(name) else {
                throw PortcullisError(
                    .unsupportedCriticalHeader,
                    "\"crit\" lists \"\(name)\", a header parameter registered by RFC 7515, which it must not (RFC 7515 §4.1.11)",
                    claim: name)
            }
            guard json[name] != nil else {
                throw PortcullisError(.unsupportedCriticalHeader, "\"crit\" lists \"\(name)\", which is not in the header", claim: name)
            }
            guard understood.contains(name) else {
                throw PortcullisError(
                    .unsupportedCriticalHeader, "the critical header parameter \"\(name)\" is not understood by this verifier",
                    claim: name)
            }
        }
    }
}
