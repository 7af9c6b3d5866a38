internal import CPortcullisOpenSSL
import PortcullisJOSE

/// Reads OpenSSL's per-thread error queue, so that a failure carries OpenSSL's own explanation.
enum OpenSSLErrorQueue {
    /// Removes every queued error and returns them joined with `"; "` (oldest first), or `nil`
    /// when the queue was empty. At most 16 entries are rendered; the rest are discarded.
    static func drain() -> String? {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if messages.count < 16 { messages.append(render(code)) }
        }
        return messages.isEmpty ? nil : messages.joined(separator: "; ")
    }

    /// Discards every queued error (after an expected failure such as a signature that does not
    /// verify, so the queue never grows and stale entries never reach a later message).
    static func clear() {
        ERR_clear_error()
    }

    private static func render(_ code: UInt) -> String {
        unsafe withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            guard let base = buffer.baseAddress else { return "OpenSSL error \(code)" }
            unsafe ERR_error_string_n(code, base, buffer.count)
            return unsafe String(cString: base)
        }
    }
}

extension PortcullisError {
    /// An error whose message is `message` followed by whatever OpenSSL queued on this thread
    /// (the queue is emptied).
    static func openSSL(_ code: PortcullisError.Code, _ message: String) -> PortcullisError {
        if let queued = OpenSSLErrorQueue.drain() {
            return PortcullisError(code, "\(message) (OpenSSL: \(queued))")
        }
        return PortcullisError(code, message)
    }

    /// A backend failure (`crypto_failure`) with OpenSSL's queued explanation.
    static func backend(_ message: String) -> PortcullisError {
        openSSL(.cryptoFailure, message)
    }
}
