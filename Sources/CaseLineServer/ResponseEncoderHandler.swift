import CaseLineProtocol
import NIOCore

/// Turns `Response` values into CLP/1 lines on their way out.
struct ResponseEncoderHandler: MessageToByteEncoder {
    typealias OutboundIn = Response

    func encode(data: Response, out: inout ByteBuffer) {
        ResponseEncoder.encode(data, into: &out)
    }
}
