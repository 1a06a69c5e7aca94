import CaseLineProtocol
import NIOCore

/// What the session tells its timeout handler (sent as user outbound events).
enum SessionSignal: Sendable {
    /// The session is authenticated: the login timeout no longer applies.
    case authenticated
    /// The session has (or no longer has) an active WATCH: a watching session is never idle.
    case watching(Bool)
    /// The server is shutting down: end the session's input (requests still on their way are not run).
    case stopReading
}

/// Enforces the login timeout (from connection until authenticated) and the idle timeout (no request for a
/// while), by sending `* BYE [CODE]` and closing. Lives in the pipeline so that timers need no task of
/// their own and fire even while the session waits for input.
final class SessionTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = Result<Command, ProtocolError>
    typealias InboundOut = Result<Command, ProtocolError>
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let loginTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private var authenticated = false
    private var watching = false
    private var loginTimer: Scheduled<Void>?
    private var idleTimer: Scheduled<Void>?
    private var closed = false
    private var reading = true

    init(loginTimeout: TimeAmount, idleTimeout: TimeAmount) {
        self.loginTimeout = loginTimeout
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((context, self), eventLoop: context.eventLoop)
        loginTimer = context.eventLoop.scheduleTask(in: loginTimeout) {
            let (context, handler) = loopBound.value
            handler.expire(context: context, code: .loginTimeout, "not authenticated in time")
        }
        armIdle(context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        loginTimer?.cancel()
        idleTimer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard reading else { return }
        armIdle(context: context)
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        switch event {
        case SessionSignal.authenticated:
            authenticated = true
            loginTimer?.cancel()
            promise?.succeed(())
        case SessionSignal.watching(let on):
            watching = on
            armIdle(context: context)
            promise?.succeed(())
        case SessionSignal.stopReading:
            reading = false
            context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
            promise?.succeed(())
        default:
            context.triggerUserOutboundEvent(event, promise: promise)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        loginTimer?.cancel()
        idleTimer?.cancel()
        context.fireChannelInactive()
    }

    private func armIdle(context: ChannelHandlerContext) {
        idleTimer?.cancel()
        guard !watching, !closed else { return }
        let loopBound = NIOLoopBound((context, self), eventLoop: context.eventLoop)
        idleTimer = context.eventLoop.scheduleTask(in: idleTimeout) {
            let (context, handler) = loopBound.value
            handler.expire(context: context, code: .idleTimeout, "no request for too long")
        }
    }

    private func expire(context: ChannelHandlerContext, code: ErrorCode, _ text: String) {
        guard !closed else { return }
        closed = true
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        var bye = context.channel.allocator.buffer(capacity: 64)
        ResponseEncoder.encode(.bye(code: code.rawValue, text: text), into: &bye)
        context.writeAndFlush(wrapOutboundOut(bye)).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}
