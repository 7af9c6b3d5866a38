public import PortcullisJOSE
import PortcullisJWT

/// An authorization engine outside the process (Open Policy Agent, Cedar, a company service),
/// asked per request.
///
/// Implementations decide from a JSON input built by ``ExternalDecisionInput/make(_:)``: the
/// verified claims (never the raw token), the request and the resource. They must fail closed:
/// when the engine cannot be reached, times out or answers something unexpected, the result is a
/// denial (or a thrown error, which callers treat as a denial), never an allow.
public protocol ExternalDecisionPoint: Sendable {
    /// Asks the engine about `input`.
    func decide(_ input: JSONObject) async throws(PortcullisError) -> PolicyDecision
}

extension ExternalDecisionPoint {
    /// Asks the engine about `context`, turning a thrown error into an `access_denied` denial.
    public func decide(_ context: PolicyContext, name: String = "external") async -> PolicyDecision {
        do {
            return try await decide(ExternalDecisionInput.make(context))
        } catch {
            return .deny(Denial(.accessDenied, policy: name, message: "the decision point failed: \(error.message)"))
        }
    }
}

/// Builds the input document sent to external decision points.
public enum ExternalDecisionInput {
    /// `{"claims": {…}, "scopes": […], "token": {"alg", "kid"}, "request": {"method", "route",
    /// "model"?, "max_tokens"?}, "resource": {"tenant"?, "id"?, "attributes": {…}}, "now": n}`.
    ///
    /// The claims are the verified claim set; the compact token and its signature are never included.
    public static func make(_ context: PolicyContext) -> JSONObject {
        let request = context.request
        var requestMembers: [JSONObject.Member] = [
            .init(name: "method", value: .string(request.method)),
            .init(name: "route", value: .string(request.route)),
        ]
        if let model = request.model { requestMembers.append(.init(name: "model", value: .string(model))) }
        if let maxTokens = request.maxTokens { requestMembers.append(.init(name: "max_tokens", value: .number(JSONNumber(maxTokens)))) }
        var resourceMembers: [JSONObject.Member] = []
        if let tenant = request.resource.tenant { resourceMembers.append(.init(name: "tenant", value: .string(tenant))) }
        if let id = request.resource.id { resourceMembers.append(.init(name: "id", value: .string(id))) }
        let attributes = request.resource.attributes.sorted { $0.key < $1.key }.map { JSONObject.Member(name: $0.key, value: .string($0.value)) }
        resourceMembers.append(.init(name: "attributes", value: .object(JSONObject(uniqueMembers: attributes))))
        var tokenMembers: [JSONObject.Member] = [.init(name: "alg", value: .string(context.token.algorithm.name))]
        if let kid = context.token.verifiedKeyID { tokenMembers.append(.init(name: "kid", value: .string(kid))) }
        return JSONObject(uniqueMembers: [
            .init(name: "claims", value: .object(context.token.claims.json)),
            .init(name: "scopes", value: .array(context.scopes.map(JSONValue.string))),
            .init(name: "token", value: .object(JSONObject(uniqueMembers: tokenMembers))),
            .init(name: "request", value: .object(JSONObject(uniqueMembers: requestMembers))),
            .init(name: "resource", value: .object(JSONObject(uniqueMembers: resourceMembers))),
            .init(name: "now", value: .number(JSONNumber(context.now.secondsSince1970))),
        ])
    }
}
