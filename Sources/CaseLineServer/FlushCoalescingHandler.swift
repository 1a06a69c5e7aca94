import NIOCore

/// Lets the responses to pipelined requests leave together. Each request's responses are written and
/// flushed from the session task, one event-loop task per request; flushed one by one, every response was its
/// own TLS record and its own `write(2)`, which made up most of the cost of a small request (perf,
/// 2026-11-26). A flush here is put off to the end of the tasks the event loop already holds, so the
/// responses to every request answered meanwhile go out in one flush. Nothing waits longer than that.
final class FlushCoalescingHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var flushPending = false

    func flush(context: ChannelHandlerContext) {
        guard !flushPending else { return }
        flushPending = true
        let loopBound = NIOLoopBound((context, self), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (context, handler) = loopBound.value
            handler.flushNow(context)
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // What was written before the close leaves before it (a BYE, the last answers).
        flushNow(context)
        context.close(mode: mode, promise: promise)
    }

    private func flushNow(_ context: ChannelHandlerContext) {
        guard flushPending else { return }
        flushPending = false
        context.flush()
    }
}
