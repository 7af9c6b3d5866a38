/// A deterministic stand-in for a language model: the same model, prompt and budget always give
/// the same text, so tests and `curl` sessions are reproducible.
public struct TextGenerator: Sendable {
    private static let vocabulary = [
        "the", "gate", "opens", "for", "those", "who", "hold", "a", "valid", "token", "and", "scope",
        "every", "request", "is", "checked", "twice", "keys", "rotate", "quietly", "at", "night",
        "claims", "tell", "who", "you", "are", "policies", "decide", "what", "you", "may", "do",
    ]

    /// Creates a generator.
    public init() {}

    /// The completion of `prompt` by `model`, at most `maxTokens` words long.
    /// - Returns: The text and how many tokens (words) it has, and whether the budget cut it short.
    public func complete(prompt: String, model: String, maxTokens: Int) -> (text: String, tokens: Int, truncated: Bool) {
        var state = Self.fnv1a(model + "\u{0}" + prompt)
        let natural = Int(state % 48) + 8
        let count = min(natural, max(maxTokens, 0))
        var words: [String] = []
        words.reserveCapacity(count)
        for _ in 0..<count {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            words.append(Self.vocabulary[Int((state >> 33) % UInt64(Self.vocabulary.count))])
        }
        return (words.joined(separator: " "), count, count < natural)
    }

    /// Counts the prompt's tokens the same simple way (whitespace-separated words).
    public func tokenCount(_ text: String) -> Int {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).count
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
