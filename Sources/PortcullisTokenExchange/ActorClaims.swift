public import PortcullisJOSE
public import PortcullisJWT

/// The acting party of an exchange and the `act` / `may_act` rules of RFC 8693 §4.1 and §4.4.
public struct ActingParty: Sendable, Hashable {
    /// The actor's `sub`: the actor token's subject, or the client id when no actor token was sent.
    public let subject: String
    /// The actor token's `iss`, when the actor is known from an actor token.
    public let issuer: String?

    /// Creates an acting party.
    public init(subject: String, issuer: String?) {
        self.subject = subject
        self.issuer = issuer
    }

    /// The issued token's `act` (RFC 8693 §4.1): this party outermost, and the subject token's own
    /// `act` (the earlier actors of a delegation chain) nested inside it.
    /// - Throws: `invalid_request` when the subject token's `act` is not an object.
    public func actClaim(subjectToken: VerifiedToken) throws(PortcullisError) -> JSONValue {
        var act: JSONObject = ["sub": .string(subject)]
        if let issuer { act["iss"] = .string(issuer) }
        if let prior = subjectToken["act"] {
            guard case .object = prior else {
                throw PortcullisError(.invalidRequest, "the subject token's act claim is not an object (RFC 8693 §4.1)", claim: "act")
            }
            act["act"] = prior
        }
        return .object(act)
    }

    /// Checks the subject token's `may_act` (RFC 8693 §4.4): when present, it must name this party
    /// by `sub` (and by `iss`, when it has one).
    /// - Throws: `invalid_request` when it does not, or is not an object.
    public func checkMayAct(subjectToken: VerifiedToken) throws(PortcullisError) {
        guard let mayAct = subjectToken["may_act"] else { return }
        guard case .object(let allowed) = mayAct else {
            throw PortcullisError(.invalidRequest, "the subject token's may_act claim is not an object (RFC 8693 §4.4)", claim: "may_act")
        }
        let subjectMatches = allowed["sub"]?.stringValue == subject
        let issuerMatches = allowed["iss"].map { $0.stringValue != nil && $0.stringValue == issuer } ?? true
        guard subjectMatches, issuerMatches else {
            let named = [allowed["sub"]?.stringValue.map { "sub \($0)" }, allowed["iss"]?.stringValue.map { "iss \($0)" }]
                .compactMap { $0 }.joined(separator: ", ")
            throw PortcullisError(
                .invalidRequest,
                "the subject token's may_act does not name the requesting party \(subject)\(issuer.map { " (iss \($0))" } ?? "") (RFC 8693 §4.4)",
                claim: "may_act", expected: named.isEmpty ? "(nobody)" : named, actual: subject)
        }
    }
}
