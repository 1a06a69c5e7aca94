import NIOCore

/// Refuses cleartext before TLS sees it, with the fatal `protocol_version` alert CLP1.md §2 promises.
///
/// BoringSSL answers most cleartext with that alert, but recognises an HTTP request line (`GET /`, `POST /`
/// …) and closes without one, so a browser or a scanner pointed at the port learned nothing. A TLS client
/// always opens with a handshake record (content type 22); anything else gets the same alert and the
/// connection is closed, before a byte reaches the TLS engine.
final class PlaintextGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// A TLS 1.0-framed fatal alert (level 2) with description 70, protocol_version: what BoringSSL itself
    /// sends for cleartext CLP/1.
    static let alert: [UInt8] = [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46]
    static let handshakeRecord: UInt8 = 0x16

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        guard let first = bytes.getInteger(at: bytes.readerIndex, as: UInt8.self) else { return }
        if first == Self.handshakeRecord {
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: Self.alert))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}
