extension EtcdClient {
    /// The auth token to send to `endpoint`: nil without credentials (or when etcd has
    /// authentication off); asks etcd for one when none is held. Throws
    /// `EtcdError.authenticationFailed` when etcd refuses the user; a failure to reach `endpoint`
    /// is returned, as for the request it was for (which was never sent).
    func authorization(at endpoint: String) async throws(EtcdError) -> Result<String?, AttemptFailure> {
        guard let credentials = configuration.credentials else { return .success(nil) }
        if let held = authToken.withLock({ $0 }) { return .success(held.isEmpty ? nil : held) }
        authentications.add(1, ordering: .relaxed)
        let body = EtcdJSON.encode(WireAuthenticateRequest(name: credentials.user, password: credentials.password))
        let answer: (status: Int, body: [UInt8])
        switch await attempt(.authenticate, body, endpoint: endpoint, token: nil) {
        case .failure(.cancelled): return .failure(.cancelled)
        case .failure(let failure):
            return .failure(failure.neverSent ? failure : .notSent("asking for an auth token: \(failure.reason)"))
        case .success(let received): answer = received
        }
        guard answer.status == 200 else {
            let error = Self.serverError(.authenticate, status: answer.status, body: answer.body)
            guard case .server(_, _, let message) = error else { throw error }
            if message.contains("authentication is not enabled") {
                authToken.withLock { $0 = "" }  // nothing to send
                return .success(nil)
            }
            // No leader, leader changed, between leaders: asking again (elsewhere) is harmless.
            if case .server(_, 14, _) = error { return .failure(.notSent("asking for an auth token: \(message)")) }
            if message.contains("authentication failed") || message.contains("user name not found") {
                throw .authenticationFailed(user: credentials.user, endpoint: endpoint, message: message)
            }
            throw error
        }
        let place = EtcdOperation.authenticate.name + " response"
        let wire = try EtcdJSON.decode(WireAuthenticateResponse.self, from: answer.body, place: place)
        guard let token = wire.token, !token.isEmpty else { throw .malformedResponse(what: "no token", where: place) }
        authToken.withLock { $0 = token }
        logger.debug("etcd auth token received", metadata: ["endpoint": "\(endpoint)", "user": "\(credentials.user)"])
        return .success(token)
    }

    /// Forgets `token` (etcd refused it), unless a newer one replaced it already.
    func discardToken(_ token: String) {
        authToken.withLock { if $0 == token { $0 = nil } }
    }

    /// etcd's answer to a token it does not know: expired, or issued by a member that restarted.
    static func isInvalidToken(_ error: EtcdError) -> Bool {
        guard case .server(_, let code, let message) = error else { return false }
        return code == 16 || message.contains("invalid auth token") || message.contains("revision of auth store is old")
    }
}
