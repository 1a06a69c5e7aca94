import Foundation
import NIOCore
import NIOSSL

/// Drives one connection: optionally logs in, then keeps `depth` requests in flight, timing each from the
/// moment it is written to the moment its answer's last line arrives. Answers come back in order, so the
/// send times form a queue. Runs entirely on its channel's event loop.
///
/// With an `interval` the load is open: a request is due every `interval` whether or not the answers keep
/// up (at most `depth` in flight), and each is timed from when it was due, not when it could be sent, so a
/// server that falls behind shows in the latencies instead of slowing the load down (coordinated omission).
final class LoadConnection: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Setup {
        /// Lines sent once before the load (LOGIN), each answered by one final line.
        var preamble: [String]
        /// The requests to cycle through; `%d` in a line is replaced by a sequence number.
        var requests: [String]
        var depth: Int
        /// Whether the server first sends one greeting line.
        var greeting: Bool
        /// How to tell an answer's final line: CLP/1 ends with a tagged completion (a line not starting
        /// with `*`); a one-line protocol (redis inline) ends with every line.
        var clp: Bool
        /// Nanoseconds between requests on this connection (open load), or nil to send as answers arrive.
        var interval: UInt64? = nil
    }

    private let setup: Setup
    private let stats: LoadStats
    private var buffer = ByteBuffer()
    private var sentAt: [UInt64] = []
    private var sentHead = 0
    private var phase = 0  // 0 greeting, 1 preamble, 2 load
    private var preambleLeft: Int
    private var sequence: Int
    private var stopped = false
    private let ready: EventLoopPromise<Void>
    private var nextDue: UInt64 = 0
    private var pacer: RepeatedTask?

    init(setup: Setup, stats: LoadStats, ready: EventLoopPromise<Void>, seed: Int) {
        self.setup = setup
        self.stats = stats
        self.ready = ready
        self.preambleLeft = setup.preamble.count
        self.sequence = seed
    }

    func channelActive(context: ChannelHandlerContext) {
        if !setup.greeting { startPreamble(context: context) }
        context.fireChannelActive()
    }

    private func startPreamble(context: ChannelHandlerContext) {
        phase = 1
        if setup.preamble.isEmpty {
            startLoad(context: context)
            return
        }
        var out = context.channel.allocator.buffer(capacity: 256)
        for line in setup.preamble { out.writeString(line + "\r\n") }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }

    private func startLoad(context: ChannelHandlerContext) {
        phase = 2
        ready.succeed(())
        if let interval = setup.interval {
            nextDue = DispatchTime.now().uptimeNanoseconds
            let loopBound = NIOLoopBound((context, self), eventLoop: context.eventLoop)
            let period = TimeAmount.nanoseconds(Int64(min(interval, 1_000_000)))
            pacer = context.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: period) { _ in
                let (context, handler) = loopBound.value
                handler.sendDue(context: context)
            }
            return
        }
        var out = context.channel.allocator.buffer(capacity: 64 * setup.depth)
        for _ in 0..<setup.depth { append(to: &out, dueAt: DispatchTime.now().uptimeNanoseconds) }
        context.writeAndFlush(wrapOutboundOut(out), promise: nil)
    }

    /// Open load: sends every request that is due, as far as the depth allows.
    private func sendDue(context: ChannelHandlerContext) {
        guard let interval = setup.interval, !stopped else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        var out: ByteBuffer?
        while nextDue <= now && sentAt.count - sentHead < setup.depth {
            if out == nil { out = context.channel.allocator.buffer(capacity: 256) }
            append(to: &out!, dueAt: nextDue)
            nextDue += interval
        }
        if let out { context.writeAndFlush(wrapOutboundOut(out), promise: nil) }
    }

    private func append(to out: inout ByteBuffer, dueAt: UInt64) {
        sequence += 1
        let template = setup.requests[sequence % setup.requests.count]
        let line = template.replacingOccurrences(of: "%d", with: String(sequence))
        out.writeString(line + "\r\n")
        sentAt.append(dueAt)
    }

    /// Stops sending; answers still in flight are counted when they arrive.
    func stop() {
        stopped = true
        pacer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        buffer.writeBuffer(&incoming)
        var out: ByteBuffer?
        while let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readerIndex + 1
            let first = buffer.readableBytesView.first
            let statusAt = buffer.readableBytesView.firstIndex(of: UInt8(ascii: " ")).map { $0 + 1 }
            let status = statusAt.flatMap { buffer.getBytes(at: $0, length: 2) }
            buffer.moveReaderIndex(forwardBy: length)
            let final = setup.clp ? first != UInt8(ascii: "*") : true
            switch phase {
            case 0:
                startPreamble(context: context)
            case 1 where final:
                preambleLeft -= 1
                if status != Array("OK".utf8) && setup.clp {
                    stats.fail("preamble refused")
                    context.close(promise: nil)
                    return
                }
                if preambleLeft == 0 { startLoad(context: context) }
            case 2 where final:
                let now = DispatchTime.now().uptimeNanoseconds
                let started = sentAt[sentHead]
                sentHead += 1
                let failed = setup.clp && status != Array("OK".utf8)
                stats.record(nanoseconds: now &- started, failed: failed)
                if !stopped && setup.interval == nil {
                    if out == nil { out = context.channel.allocator.buffer(capacity: 256) }
                    append(to: &out!, dueAt: now)
                }
                if sentHead > 4096 {
                    sentAt.removeFirst(sentHead)
                    sentHead = 0
                }
            default:
                break
            }
        }
        buffer.discardReadBytes()
        if let out { context.writeAndFlush(wrapOutboundOut(out), promise: nil) }
        if phase == 2 && setup.interval != nil { sendDue(context: context) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Peers that close without a TLS close_notify once the run is over (redis does) are not failures.
        if !(stopped && error is NIOSSLError) { stats.fail("\(error)") }
        if phase < 2 { ready.fail(error) }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if phase < 2 { ready.fail(ChannelError.ioOnClosedChannel) }
        context.fireChannelInactive()
    }
}
