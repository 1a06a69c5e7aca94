public import CaseLineProtocol
public import NIOCore
public import NIOPosix
public import NIOSSL

/// One CLP/1 connection, driven from a single task: send requests, read their responses in order.
/// The terminal client and the tests build on it.
public final class ClientConnection {
    public typealias Channel = NIOAsyncChannel<Swift.Result<Response, ResponseParser.Failure>, ByteBuffer>

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case closed
        case malformed(String)

        public var description: String {
            switch self {
            case .closed: return "the server closed the connection"
            case .malformed(let message): return "malformed response: \(message)"
            }
        }
    }

    /// What one tagged request produced.
    public struct Result: Sendable {
        public var records: [Record]
        /// Untagged lines that were not data for this request (events, BYE).
        public var others: [Response]
        public var completion: Completion

        public init(records: [Record], others: [Response], completion: Completion) {
            self.records = records
            self.others = others
            self.completion = completion
        }
    }

    private let buffer: ResponseBuffer
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var nextTag = 0
    public private(set) var greeting: Record?

    private init(buffer: ResponseBuffer, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.buffer = buffer
        self.outbound = outbound
    }

    /// Connects, completes TLS, reads the greeting (or the BYE sent instead of it), runs `body` with the
    /// connection, and closes it when `body` returns.
    public static func connect<T>(
        host: String, port: Int, tls: TLSConfiguration, serverHostname: String? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, maxLineBytes: Int = 16 << 20,
        connectTimeout: TimeAmount = .seconds(10), pin: CertificatePin? = nil, receiveBufferBytes: Int? = nil,
        localAddress: String? = nil, _ body: (ClientConnection) async throws -> T
    ) async throws -> T {
        let sslContext = try NIOSSLContext(configuration: tls)
        var bootstrap = ClientBootstrap(group: group).connectTimeout(connectTimeout)
        if let localAddress {
            // The source address to connect from (tests: another loopback address, another "client").
            bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: localAddress, port: 0))
        }
        if let receiveBufferBytes {
            // A small window makes a reader that stops reading felt by the server at once (tests, benchmarks).
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(receiveBufferBytes))
        }
        let channel =
            try await bootstrap
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let pin {
                        try pipeline.addHandler(
                            NIOSSLClientHandler(
                                context: sslContext, serverHostname: serverHostname,
                                customVerificationCallback: pin.verify))
                    } else {
                        try pipeline.addHandler(
                            NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname))
                    }
                    try pipeline.addHandler(ByteToMessageHandler(ResponseLineDecoder(maxLineBytes: maxLineBytes)))
                    return try Channel(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            // A reader of its own fills the buffer, so that a session waiting for its user still hears events.
            let buffer = ResponseBuffer()
            let reader = Task {
                do {
                    for try await response in inbound { await buffer.append(response) }
                    buffer.finish()
                } catch {
                    buffer.finish(failure: error)
                }
            }
            defer { reader.cancel() }
            let connection = ClientConnection(buffer: buffer, outbound: outbound)
            let first = try await connection.next()
            switch first {
            case .record(let record) where record.type == "GREETING": connection.greeting = record
            case .bye: throw ByeReceived(response: first)
            default: throw Failure.malformed("expected a greeting")
            }
            return try await body(connection)
        }
    }

    public struct ByeReceived: Error, Sendable {
        public var response: Response

        public init(response: Response) { self.response = response }
    }

    /// The next response line, whatever it is; throws `Failure.closed` at the end of the stream.
    public func next() async throws -> Response {
        guard let result = try await buffer.next() else { throw Failure.closed }
        switch result {
        case .success(let response): return response
        case .failure(let failure): throw Failure.malformed(failure.message)
        }
    }

    /// The EVENT records that arrived since the last request, without waiting. For a session idle between
    /// requests (the interactive prompt); call it from any thread.
    public var eventSource: @Sendable () -> [Record] {
        let buffer = buffer
        return { buffer.takeEvents() }
    }

    /// Whether the connection has ended, from any thread.
    public var closedSource: @Sendable () -> Bool {
        let buffer = buffer
        return { buffer.isFinished }
    }

    /// Sends bytes exactly as given.
    public func send(raw: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: raw))
    }

    public func makeTag() -> String {
        nextTag += 1
        return "t\(nextTag)"
    }

    /// Sends one request line (the tag is added) and reads until its completion.
    public func request(_ line: String) async throws -> Result {
        try await read(tag: try await send(line: line))
    }

    /// Sends one request line (the tag is added) without waiting for its answer, for pipelining; returns the
    /// tag to read the answer with (`read(tag:)`, or `answerSource` from another thread).
    public func send(line: String) async throws -> String {
        let tag = makeTag()
        try await send(raw: Array("\(tag) \(line)\r\n".utf8))
        return tag
    }

    /// Sends a command without waiting for its answer; returns its tag.
    public func send(_ command: Command) async throws -> String {
        try await send(raw: RequestEncoder.encode(command))
        return command.tag
    }

    /// Takes what has arrived of the answer to a pipelined request, without waiting: its records are added to
    /// the array, and its completion is returned once it is there. For a session whose task waits for its user:
    /// only while no other request is being read.
    public var answerSource: @Sendable (String, inout [Record]) -> Completion? {
        let buffer = buffer
        return { tag, records in buffer.takeAnswer(tag: tag, into: &records) }
    }

    /// The `BYE` the server sent before it closed the connection, if it said goodbye (from any thread).
    public var goodbye: Response? { buffer.goodbye }

    /// Sends a command, encoded by the protocol's encoder, and reads until its completion.
    public func request(_ command: Command) async throws -> Result {
        try await send(raw: RequestEncoder.encode(command))
        return try await read(tag: command.tag)
    }

    /// Reads responses until the completion for `tag`. When the server says goodbye and closes first, throws
    /// `ByeReceived` with its reason rather than a bare `closed`.
    public func read(tag: String) async throws -> Result {
        var records: [Record] = []
        var others: [Response] = []
        while true {
            let response: Response
            do {
                response = try await next()
            } catch Failure.closed {
                if let bye = others.last(where: { if case .bye = $0 { true } else { false } }) {
                    throw ByeReceived(response: bye)
                }
                throw Failure.closed
            }
            switch response {
            case .completion(let completion) where completion.tag == tag:
                return Result(records: records, others: others, completion: completion)
            case .record(let record) where record.type != "EVENT":
                records.append(record)
            default:
                others.append(response)
            }
        }
    }
}
