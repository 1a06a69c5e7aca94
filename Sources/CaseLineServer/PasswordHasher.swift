import CaseLineDomain
import Crypto
import CryptoExtras
import Foundation
public import NIOPosix

/// Password hashing with scrypt, computed on a dedicated thread pool (never on an event loop or the
/// cooperative pool) and compared in constant time.
///
/// Stored form (PHC-like, so parameters can rise later and old hashes still verify):
/// `$scrypt$ln=15,r=8,p=1$<salt, base64>$<key, base64>`.
public struct PasswordHasher: Sendable {
    public struct Parameters: Sendable, Hashable {
        /// N = 2^logN.
        public var logN: Int
        public var blockSize = 8
        public var parallelism = 1

        /// N = 2^15, r = 8: about 0.1 s and 32 MiB per hash on the reference machine.
        public static let standard = Parameters(logN: 15)

        public init(logN: Int) { self.logN = logN }
    }

    let parameters: Parameters
    let pool: NIOThreadPool

    public init(parameters: Parameters, pool: NIOThreadPool) {
        self.parameters = parameters
        self.pool = pool
    }

    public func hash(_ password: String) async throws -> String {
        let parameters = parameters
        return try await pool.runIfActive {
            var salt = [UInt8](repeating: 0, count: 16)
            var generator = SystemRandomNumberGenerator()
            for index in salt.indices { salt[index] = generator.next() }
            let key = try Self.derive(password, salt: salt, parameters: parameters)
            return "$scrypt$ln=\(parameters.logN),r=\(parameters.blockSize),p=\(parameters.parallelism)$"
                + Data(salt).base64EncodedString() + "$" + key.withUnsafeBytes { Data($0).base64EncodedString() }
        }
    }

    /// Whether `password` matches `stored`. A malformed stored hash never matches.
    public func verify(_ password: String, against stored: String) async throws -> Bool {
        try await pool.runIfActive {
            guard let (parameters, salt, expected) = Self.parse(stored) else { return false }
            let key = try Self.derive(password, salt: salt, parameters: parameters)
            // SymmetricKey's == compares in constant time.
            return key == SymmetricKey(data: expected)
        }
    }

    /// A valid hash of a random password, verified against when the user does not exist, so that an
    /// unknown name costs the same time as a known one.
    public func decoy() async throws -> String {
        try await hash(UUID().uuidString)
    }

    static func derive(_ password: String, salt: [UInt8], parameters: Parameters) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: 32, rounds: 1 << parameters.logN,
            blockSize: parameters.blockSize, parallelism: parameters.parallelism)
    }

    static func parse(_ stored: String) -> (Parameters, [UInt8], Data)? {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt" else { return nil }
        var values: [String: Int] = [:]
        for item in parts[2].split(separator: ",") {
            let pair = item.split(separator: "=")
            guard pair.count == 2, let number = Int(pair[1]) else { return nil }
            values[String(pair[0])] = number
        }
        guard let logN = values["ln"], (1...24).contains(logN), let r = values["r"], (1...32).contains(r),
            let p = values["p"], (1...16).contains(p), let salt = Data(base64Encoded: String(parts[3])),
            let key = Data(base64Encoded: String(parts[4])), key.count == 32
        else { return nil }
        var parameters = Parameters(logN: logN)
        parameters.blockSize = r
        parameters.parallelism = p
        return (parameters, Array(salt), key)
    }
}

/// API token secrets: 32 random bytes, shown once as `clt_` + base64url; stored as their SHA-256. A fast
/// hash is right here: the secret has 256 bits of entropy, so it cannot be guessed from its hash.
public enum TokenSecret {
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "clt_"
            + Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public static func hash(_ secret: String) -> String {
        Hex.string(SHA256.hash(data: Data(secret.utf8)))
    }
}
