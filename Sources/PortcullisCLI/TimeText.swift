import Foundation

/// Human renderings of NumericDate values: `2026-11-29 05:30:00 UTC (expires in 12 min)`.
enum TimeText {
    /// An ISO-8601-like UTC date plus a relative phrase.
    static func describe(_ seconds: Double, now: Double) -> String {
        "\(utc(seconds)) (\(relative(seconds - now)))"
    }

    /// `2026-11-29 05:30:00 UTC`.
    static func utc(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    /// `in 12 min`, `3 h ago`, `now`.
    static func relative(_ delta: Double) -> String {
        let magnitude = abs(delta)
        let amount: String
        switch magnitude {
        case ..<1: return "now"
        case ..<120: amount = "\(Int(magnitude)) s"
        case ..<7_200: amount = "\(Int(magnitude / 60)) min"
        case ..<172_800: amount = "\(Int(magnitude / 3_600)) h"
        default: amount = "\(Int(min(magnitude / 86_400, 1e12))) days"
        }
        return delta > 0 ? "in \(amount)" : "\(amount) ago"
    }
}
