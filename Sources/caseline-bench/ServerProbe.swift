import Foundation

/// The server's CPU time and resident memory, read from /proc: the load generator runs on the same machine,
/// so the server's own figures are the only fair per-request cost.
struct ServerProbe {
    let pid: Int32

    struct Sample {
        /// User + system CPU seconds.
        var cpuSeconds: Double
        var rssBytes: Int
    }

    func sample() -> Sample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        else { return nil }
        // The command name (field 2) may hold spaces; fields are counted after its closing parenthesis.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ")": state is field 3, so utime (14) and stime (15) are at offsets 11 and 12.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let rssLine = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
        let kilobytes = rssLine.flatMap {
            Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return Sample(cpuSeconds: (user + system) / ticks, rssBytes: (kilobytes ?? 0) * 1024)
    }
}
