internal import Foundation

extension JWTClaims {
    /// Decodes the claim set (or your own view of it) with Foundation's `JSONDecoder`, for custom
    /// claims such as `tenant` or `roles`.
    ///
    /// The claim set is re-serialized and decoded; use it after verification, not on the hot path.
    /// - Throws: `invalid_claim` with the decoder's explanation when the claims do not fit `type`.
    public func decode<T: Decodable>(_ type: T.Type) throws(PortcullisError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(json.serializedBytes()))
        } catch {
            throw PortcullisError(.invalidClaim, "the claims do not decode as \(T.self): \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context),
             .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default:
            return String(describing: error)
        }
    }
}
