import Crypto
import Foundation
import NIOConcurrencyHelpers
public import NIOCore
public import NIOSSL

/// Verifies a self-signed server by the SHA-256 of its certificate instead of a chain to a trusted root:
/// the check of trust on first use. It records what it saw, so the caller can show it to the user.
public final class CertificatePin: Sendable {
    private let accept: @Sendable (String) -> Bool
    private let seen = NIOLockedValueBox<String?>(nil)

    /// `accept` gets the leaf certificate's fingerprint (lower-case hex) and says whether to trust it.
    public init(accept: @escaping @Sendable (String) -> Bool) { self.accept = accept }

    /// The fingerprint of the last certificate offered, once the handshake has seen one.
    public var fingerprint: String? { seen.withLockedValue { $0 } }

    public func verify(_ chain: [NIOSSLCertificate], _ promise: EventLoopPromise<NIOSSLVerificationResult>) {
        guard let leaf = chain.first, let der = try? leaf.toDERBytes() else {
            promise.succeed(.failed)
            return
        }
        let hex = SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
        seen.withLockedValue { $0 = hex }
        promise.succeed(accept(hex) ? .certificateVerified : .failed)
    }
}
