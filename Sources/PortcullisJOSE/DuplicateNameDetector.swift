/// Detects duplicate member names while an object is read (RFC 8259 §4, RFC 7515 §5.2).
///
/// Names are compared code unit by code unit, as RFC 8259 §8.3 describes ("Implementations that
/// transform the textual representation into sequences of Unicode code units and then perform
/// the comparison numerically, code unit by code unit, are interoperable"), not with `String`'s
/// canonical equivalence. Small objects use a linear scan; from 16 members on, a hash set.
struct DuplicateNameDetector {
    /// The object size from which a set replaces the linear scan.
    static let setThreshold = 16 // the size of `fingerprints`

    /// The fingerprints of the first ``setThreshold`` members, inline so that small objects
    /// allocate nothing for the check.
    private var fingerprints = InlineArray<16, UInt64>(repeating: 0)
    private var set: Set<String>?

    /// Records `name`, the name of the member that follows `members`; returns `false` when an
    /// earlier member has exactly the same code units.
    mutating func insert(_ name: String, fingerprint: UInt64, existing members: [JSONObject.Member]) -> Bool {
        let count = members.count
        if set == nil {
            if count < Self.setThreshold {
                for offset in 0..<count where fingerprints[offset] == fingerprint {
                    if sameCodeUnits(members[offset].name, name) { return false }
                }
                fingerprints[count] = fingerprint
                return true
            }
            set = Set(members.map(\.name))
        }
        // `Set<String>` compares by canonical equivalence, which is coarser than code units: a
        // hit is only a candidate, confirmed by an exact scan.
        if set?.insert(name).inserted == true { return true }
        return !Self.linearContains(name, members)
    }

    static func linearContains(_ name: String, _ members: [JSONObject.Member]) -> Bool {
        for member in members where sameCodeUnits(member.name, name) { return true }
        return false
    }
}

/// `true` when two strings have exactly the same UTF-8 code units (no Unicode normalization).
@inline(__always)
func sameCodeUnits(_ a: String, _ b: String) -> Bool {
    // The UTF-8 count is O(1); identical code units imply `==`, which filters next; the exact
    // byte comparison only confirms a match.
    a.utf8.count == b.utf8.count && a == b && a.utf8.elementsEqual(b.utf8)
}
