import PortcullisJOSE

extension SessionManager {
    /// When the session's claims should be re-read (`soon`) and after which they may not be used
    /// unrefreshed (`deadline`); `nil` when neither the access token's lifetime nor
    /// ``SessionConfiguration/claimsMaximumAge`` bounds them.
    func refreshSchedule(_ session: Session) -> (soon: Double, deadline: Double)? {
        var soon = Double.infinity, deadline = Double.infinity
        if let expiresAt = session.accessTokenExpiresAt {
            let lifetime = max(0, expiresAt - session.claimsReadAt)
            soon = expiresAt - min(max(0, configuration.refreshMargin), lifetime / 2)
            deadline = expiresAt
        }
        if let maximumAge = configuration.claimsMaximumAge {
            soon = min(soon, session.claimsReadAt + maximumAge)
            deadline = min(deadline, session.claimsReadAt + maximumAge)
        }
        return soon.isFinite ? (soon, deadline) : nil
    }

    /// `session` as it may be used now: unchanged, refreshed, or `nil` when it must not be used
    /// (revoked when the provider refused it).
    func keepingClaimsCurrent(_ session: Session, now: Double) async -> Session? {
        guard let relyingParty, let schedule = refreshSchedule(session), now >= schedule.soon else { return session }
        guard let refreshToken = session.refreshToken else {
            if now < schedule.deadline { return session }
            try? await store.revoke(id: session.id)
            return nil
        }
        let outcome = await refreshes.run(refreshToken: refreshToken, now: now) { () async -> Result<Refreshed, PortcullisError> in
            do throws(PortcullisError) {
                return .success(try await relyingParty.refresh(refreshToken, signedIn: session.token))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let refreshed):
            var session = session
            session.token = refreshed.authorizationToken
            if let raw = refreshed.tokens.idToken { session.rawIDToken = raw }
            session.accessToken = refreshed.tokens.accessToken
            session.refreshToken = refreshed.refreshToken
            session.accessTokenExpiresAt = refreshed.tokens.expiresIn.map { refreshed.completedAt + $0 }
            session.claimsReadAt = refreshed.completedAt
            return session
        case .failure(let error) where error.code == .fetchFailed:
            // The provider could not be asked: the claims stay usable until their deadline only.
            return now < schedule.deadline ? session : nil
        case .failure:
            try? await store.revoke(id: session.id)
            return nil
        }
    }
}

/// One refresh per refresh token at a time, and its outcome kept for a minute: requests of one
/// session that arrive together (or that loaded the session just before another request saved
/// the refreshed one) share the answer instead of presenting a rotated refresh token twice —
/// which the provider would refuse, ending the session (RFC 9700 §4.14.2).
actor RefreshGate {
    private var running: [String: Task<Result<Refreshed, PortcullisError>, Never>] = [:]
    private var recent: [String: (outcome: Result<Refreshed, PortcullisError>, at: Double)] = [:]
    private let memory: Double = 60
    private let capacity = 10_000

    func run(
        refreshToken: String, now: Double,
        _ work: @escaping @Sendable () async -> Result<Refreshed, PortcullisError>
    ) async -> Result<Refreshed, PortcullisError> {
        if let kept = recent[refreshToken], now - kept.at < memory { return kept.outcome }
        if let task = running[refreshToken] { return await task.value }
        let task = Task { await work() }
        running[refreshToken] = task
        let outcome = await task.value
        running[refreshToken] = nil
        if recent.count >= capacity { recent = recent.filter { now - $0.value.at < memory } }
        if recent.count < capacity { recent[refreshToken] = (outcome, now) }
        return outcome
    }
}
