public import Portcullis

/// A decoded `POST /v1/completions` body: `{"model": "small"|"large", "prompt": "...", "max_tokens": N}`.
public struct CompletionRequest: Sendable, Equatable {
    /// The requested model.
    public let model: String
    /// The prompt.
    public let prompt: String
    /// The output budget; 16 when the body leaves it out.
    public let maxTokens: Int

    /// Decodes and validates a body with the strict, bounded JSON reader.
    /// - Throws: `invalid_request` naming the field that is wrong.
    public init(json bytes: [UInt8]) throws(PortcullisError) {
        let object: JSONObject
        do {
            object = try JSONReader.parseObject(bytes, limits: .default)
        } catch {
            throw PortcullisError(.invalidRequest, "the body must be a JSON object: \(error.message)")
        }
        guard case .string(let model)? = object["model"] else {
            throw PortcullisError(.invalidRequest, "\"model\" must be a string: one of \(CompletionTiers.models.joined(separator: ", "))", claim: "model")
        }
        guard CompletionTiers.models.contains(model) else {
            throw PortcullisError(
                .invalidRequest, "unknown model \"\(model)\"; models are \(CompletionTiers.models.joined(separator: ", "))",
                claim: "model", expected: CompletionTiers.models.joined(separator: ", "), actual: model)
        }
        guard case .string(let prompt)? = object["prompt"] else {
            throw PortcullisError(.invalidRequest, "\"prompt\" must be a string", claim: "prompt")
        }
        var maxTokens = 16
        if let value = object["max_tokens"] {
            guard case .number(let number) = value, let integer = number.int64Value,
                (1...Int64(CompletionTiers.maximumTokens)).contains(integer)
            else {
                throw PortcullisError(
                    .invalidRequest, "\"max_tokens\" must be an integer from 1 to \(CompletionTiers.maximumTokens)",
                    claim: "max_tokens")
            }
            maxTokens = Int(integer)
        }
        self.model = model
        self.prompt = prompt
        self.maxTokens = maxTokens
    }
}
