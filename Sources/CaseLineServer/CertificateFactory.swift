import Crypto
public import Foundation
import SwiftASN1
import X509

/// Self-signed ECDSA P-256 certificates, made in Swift (no openssl needed) for a fresh server and for tests.
public enum CertificateFactory {
    public struct Generated: Sendable {
        public var certificatePEM: String
        public var privateKeyPEM: String
        /// SHA-256 of the DER certificate, `AB:CD:…` as `openssl x509 -fingerprint -sha256` prints it.
        public var fingerprint: String
    }

    public static func selfSigned(
        commonName: String = "localhost", dnsNames: [String] = ["localhost"],
        ipAddresses: [[UInt8]] = [[127, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
        validForDays: Int = 825, now: Date = Date()
    ) throws -> Generated {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("CaseLine")
            CommonName(commonName)
        }
        let alternativeNames =
            dnsNames.map { GeneralName.dnsName($0) }
            + ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
            SubjectAlternativeNames(alternativeNames)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(Double(validForDays) * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions,
            issuerPrivateKey: .init(key))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return Generated(
            certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation,
            fingerprint: fingerprint(der: serializer.serializedBytes))
    }

    public static func fingerprint(der: [UInt8]) -> String {
        SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// The fingerprint of the first certificate in a PEM file's text.
    public static func fingerprint(pem: String) throws -> String {
        let certificate = try Certificate(pemEncoded: pem)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return fingerprint(der: serializer.serializedBytes)
    }
}
