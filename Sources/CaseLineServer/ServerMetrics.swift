import CoreMetrics
import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// The server's metrics, on a registry of its own (so several servers in one test process do not mix),
/// readable in Prometheus text format through the admin-only METRICS command.
struct ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
    }

    func connectionOpened() { Counter(label: "caseline_connections_total", factory: factory).increment() }
    func connectionRefused(_ reason: String) {
        Counter(label: "caseline_connections_refused_total", dimensions: [("reason", reason)], factory: factory)
            .increment()
    }
    func activeConnections(_ count: Int) {
        Gauge(label: "caseline_connections_active", factory: factory).record(count)
    }

    /// Each verb's handles, made once: making them per request (a registry lookup under a lock, the label
    /// checked again) was a tenth of the cost of a PING (perf, 2026-11-26). Verbs come from the command
    /// table and outcomes are three, so this stays small.
    private let commandHandles = NIOLockedValueBox<[String: (count: CoreMetrics.Counter, duration: Metrics.Timer)]>([:])

    func command(_ verb: String, outcome: String, nanoseconds: Int64) {
        let key = verb + " " + outcome
        let handles = commandHandles.withLockedValue { handles in
            if let made = handles[key] { return made }
            let made = (
                count: CoreMetrics.Counter(
                    label: "caseline_commands_total", dimensions: [("verb", verb), ("outcome", outcome)],
                    factory: factory),
                duration: Metrics.Timer(
                    label: "caseline_command_duration_seconds", dimensions: [("verb", verb)], factory: factory)
            )
            handles[key] = made
            return made
        }
        handles.count.increment()
        handles.duration.recordNanoseconds(nanoseconds)
    }

    func authFailure(_ method: String) {
        Counter(label: "caseline_auth_failures_total", dimensions: [("method", method)], factory: factory).increment()
    }

    func slowConsumerDropped() { Counter(label: "caseline_events_slow_consumers_total", factory: factory).increment() }
    func watchingSessions(_ count: Int) {
        Gauge(label: "caseline_events_watching_sessions", factory: factory).record(count)
    }

    /// Prometheus text exposition format, one metric line per element.
    func exposition() -> [String] {
        registry.emitToString().split(separator: "\n").map(String.init)
    }
}
