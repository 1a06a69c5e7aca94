import Foundation
import Histogram
import NIOConcurrencyHelpers

/// Latencies and counts from every connection, merged under a lock: recording is a few nanoseconds, far
/// below the cost of a request, so one lock does not distort the figures on two cores.
final class LoadStats: Sendable {
    private struct State {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var completed = 0
        var failed = 0
        var errors: [String: Int] = [:]
        var recording = false
    }

    private let state = NIOLockedValueBox(State())

    /// Answers before this are warm-up and not counted.
    func startRecording() { state.withLockedValue { $0.recording = true } }

    func stopRecording() { state.withLockedValue { $0.recording = false } }

    func record(nanoseconds: UInt64, failed: Bool) {
        state.withLockedValue { state in
            guard state.recording else { return }
            state.completed += 1
            if failed { state.failed += 1 }
            _ = state.histogram.record(max(1, nanoseconds))
        }
    }

    func fail(_ reason: String) {
        state.withLockedValue { $0.errors[String(reason.prefix(120)), default: 0] += 1 }
    }

    struct Summary {
        var completed: Int
        var failed: Int
        var errors: [String: Int]
        /// Nanoseconds at p50, p90, p99, p99.9, and the maximum.
        var percentiles: [Double: UInt64]
        var max: UInt64
    }

    func summary() -> Summary {
        state.withLockedValue { state in
            Summary(
                completed: state.completed, failed: state.failed, errors: state.errors,
                percentiles: Dictionary(
                    uniqueKeysWithValues: [50.0, 90.0, 99.0, 99.9].map { ($0, state.histogram.valueAtPercentile($0)) }),
                max: state.histogram.max)
        }
    }
}
