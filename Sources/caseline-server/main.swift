// Not yet built: see the open issues (server #3, client #6, benchmarks #8).
import Foundation

FileHandle.standardError.write(Data("caseline-server: not implemented yet in this build of CaseLine\n".utf8))
exit(69)  // EX_UNAVAILABLE
