import CaseLineClient
import NIOCore
import Testing

@testable import caseline

/// Why a server could not be reached, in words a person can act on, never a library's type names.
@Suite("Messages for people")
struct MessagesTests {
    @Test func libraryErrorsInWords() {
        // (An unknown host, SocketAddressError.UnknownHost, cannot be made here: its initialiser is NIO's own,
        // and resolving a name would leave the loopback network.)
        let refused = Session.describe(IOError(errnoCode: 111, reason: "connect"))
        #expect(refused.hasPrefix("connection refused"), "\(refused)")
        let timeout = Session.describe(ChannelError.connectTimeout(.seconds(10)))
        #expect(timeout.hasPrefix("no answer in time"), "\(timeout)")
        for text in [refused, timeout] {
            #expect(!text.contains("Error") && !text.contains("NIO"), "\(text)")
        }
    }
}

/// A pager that is not installed never swallows the output: the client prints it itself.
@Suite("The pager")
struct PagerTests {
    @Test func onlyAProgramThatCanRunPages() {
        let environment = ["PATH": "/usr/bin:/bin"]
        #expect(Output.canRun("sh", environment))
        #expect(Output.canRun("/bin/sh", environment))
        #expect(!Output.canRun("no-such-pager-here", environment))
        #expect(!Output.canRun("/nonexistent/less", environment))
    }
}
