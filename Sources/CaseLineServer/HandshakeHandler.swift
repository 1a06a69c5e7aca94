import NIOCore
import NIOSSL
import NIOTLS

/// Closes a connection whose TLS handshake does not finish in time, and tells the session when it has
/// finished, so that the greeting (and any client-certificate login) waits for a secure channel.
final class HandshakeHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let timeout: TimeAmount
    private let completed: EventLoopPromise<Void>
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount, completed: EventLoopPromise<Void>) {
        self.timeout = timeout
        self.completed = completed
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((context, self), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: timeout) {
            let (context, handler) = loopBound.value
            handler.completed.fail(HandshakeTimeout())
            context.close(promise: nil)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tls = event as? TLSUserEvent, case .handshakeCompleted = tls {
            timer?.cancel()
            completed.succeed(())
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        completed.fail(ChannelError.ioOnClosedChannel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A failed handshake (plaintext, TLS 1.1, bad certificate) ends here: close without noise.
        completed.fail(error)
        context.close(promise: nil)
    }
}

struct HandshakeTimeout: Error {}
