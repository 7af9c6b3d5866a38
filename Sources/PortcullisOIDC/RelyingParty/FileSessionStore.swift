public import Foundation
public import PortcullisJOSE
import PortcullisCrypto

/// A ``SessionStore`` in a directory, for one host: sessions survive a restart (with the same
/// ``SessionCookieCodec`` keys, the cookies do too).
///
/// The directory is created with mode `0700` and each session is a file (mode `0600`) named by
/// the SHA-256 of its id, written atomically (a temporary file renamed into place). Files unused
/// for longer than `maximumAge` are deleted as new sessions are saved; reads are bounded (256 KiB)
/// and an unreadable file counts as no session. Several hosts need a shared store instead
/// (implement ``SessionStore`` over a database with ``Session/storedRecord()``).
public actor FileSessionStore: SearchableSessionStore {
    private let directory: URL
    private let maximumAge: Double
    private var savesSinceSweep = 0

    /// A store in `directory`.
    /// - Parameter maximumAge: Seconds after its last save a file is removed (default 8 hours and
    ///   a minute: past ``SessionConfiguration/absoluteTimeout``'s default).
    /// - Throws: `invalid_request` when the directory cannot be created or is not private.
    public init(directory: URL, maximumAge: Double = 28_860) throws(PortcullisError) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
        } catch {
            throw PortcullisError(.invalidRequest, "the session directory \(directory.path) cannot be created or made private: \(error.localizedDescription)")
        }
        self.directory = directory
        self.maximumAge = maximumAge
    }

    private func file(_ id: String) -> URL {
        let name = Digests.sha256(Array(id.utf8)).map { String($0, radix: 16).leftPadded() }.joined()
        return directory.appendingPathComponent(name + ".session")
    }

    /// See ``SessionStore/save(_:)``.
    public func save(_ session: Session) throws(PortcullisError) {
        let target = file(session.id)
        do {
            try Data(session.storedRecord()).write(to: target, options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target.path)
        } catch {
            throw PortcullisError(.invalidRequest, "the session cannot be saved: \(error.localizedDescription)")
        }
        savesSinceSweep += 1
        if savesSinceSweep >= 256 {
            savesSinceSweep = 0
            sweep()
        }
    }

    /// See ``SessionStore/load(id:)``.
    public func load(id: String) -> Session? {
        let target = file(id)
        guard let size = (try? FileManager.default.attributesOfItem(atPath: target.path))?[.size] as? Int, size <= 262_144,
              let data = try? Data(contentsOf: target), let session = try? Session(storedRecord: Array(data)), session.id == id
        else { return nil }
        return session
    }

    /// See ``SessionStore/revoke(id:)``.
    public func revoke(id: String) {
        try? FileManager.default.removeItem(at: file(id))
    }

    /// See ``SessionStore/update(_:)``: atomic within this process (the store is an actor).
    public func update(_ session: Session) throws(PortcullisError) -> Bool {
        guard FileManager.default.fileExists(atPath: file(session.id).path) else { return false }
        try save(session)
        return true
    }

    /// See ``SearchableSessionStore/revokeSessions(where:)``: reads every session file.
    public func revokeSessions(where matches: @Sendable (Session) -> Bool) -> Int {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else { return 0 }
        var ended = 0
        for name in names where name.hasSuffix(".session") {
            let url = directory.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: url), let session = try? Session(storedRecord: Array(data)), matches(session) else { continue }
            if (try? manager.removeItem(at: url)) != nil { ended += 1 }
        }
        return ended
    }

    /// Deletes the session files not saved for longer than the maximum age.
    public func sweep() {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory.path) else { return }
        let oldest = Date().addingTimeInterval(-maximumAge)
        for name in names where name.hasSuffix(".session") {
            let path = directory.appendingPathComponent(name).path
            if let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date, modified < oldest {
                try? manager.removeItem(atPath: path)
            }
        }
    }
}

extension String {
    fileprivate func leftPadded() -> String { count == 1 ? "0" + self : self }
}
