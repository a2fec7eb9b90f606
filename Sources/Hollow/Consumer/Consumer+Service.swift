import ServiceLifecycle

/// A consumer runs as a service of swift-service-lifecycle: it follows the announcement log from
/// start-up until graceful shutdown, next to a Hummingbird or Vapor server in the same group.
extension Consumer: Service {
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.watch()
        }
    }
}
