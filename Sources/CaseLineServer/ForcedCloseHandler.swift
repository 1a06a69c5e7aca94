import NIOCore

/// Asks a connection to close now, beneath TLS (sent as a user outbound event).
struct ForcedClose: Sendable {}

/// Sits nearest the socket and closes it when `ForcedClose` reaches it. A close that starts above the TLS
/// handler first offers the peer a close_notify and waits up to TLS's shutdown timeout (5 s) for its reply;
/// a peer that reads nothing never replies. When the shutdown grace is over, the server closes from here.
final class ForcedCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = NIOAny

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        if event is ForcedClose {
            context.close(mode: .all, promise: promise)
        } else {
            context.triggerUserOutboundEvent(event, promise: promise)
        }
    }
}
