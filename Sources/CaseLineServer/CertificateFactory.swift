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

    /// A server certificate for `localhost` and the loopback addresses, issued by a CA made for it alone.
    ///
    /// RFC 5280 §4.2.1.3 forbids an end-entity certificate (CA:FALSE) to claim keyCertSign, and verifiers
    /// refuse a self-signed certificate as its own trust anchor without it; so the trust anchor is a separate
    /// certificate (CA:TRUE, path length 0, keyCertSign) whose key signs this one leaf and is then thrown away:
    /// nobody can ever issue a second certificate under it. The PEM holds the leaf, then the CA: the server
    /// presents both, a client trusts the file (`--ca`) or pins the leaf's fingerprint (trust on first use).
    public static func selfSigned(
        commonName: String = "localhost", dnsNames: [String] = ["localhost"],
        ipAddresses: [[UInt8]] = [[127, 0, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]],
        validForDays: Int = 825, now: Date = Date()
    ) throws -> Generated {
        let notBefore = now.addingTimeInterval(-3600)
        let notAfter = now.addingTimeInterval(Double(validForDays) * 86_400)
        let authorityKey = P256.Signing.PrivateKey()
        let authorityName = try DistinguishedName {
            OrganizationName("CaseLine")
            CommonName("CaseLine server authority for \(commonName)")
        }
        let authorityPublicKey = Certificate.PublicKey(authorityKey.publicKey)
        let authority = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: authorityPublicKey,
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: authorityName, subject: authorityName,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: authorityPublicKey)
            },
            issuerPrivateKey: .init(authorityKey))

        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let name = try DistinguishedName {
            OrganizationName("CaseLine")
            CommonName(commonName)
        }
        let alternativeNames =
            dnsNames.map { GeneralName.dnsName($0) }
            + ipAddresses.map { GeneralName.ipAddress(ASN1OctetString(contentBytes: ArraySlice($0))) }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            // An end-entity certificate may not claim keyCertSign; its ECDSA key only signs handshakes.
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
            SubjectAlternativeNames(alternativeNames)
            SubjectKeyIdentifier(hash: publicKey)
            AuthorityKeyIdentifier(keyIdentifier: SubjectKeyIdentifier(hash: authorityPublicKey).keyIdentifier)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey, notValidBefore: notBefore,
            notValidAfter: notAfter, issuer: authorityName, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: .init(authorityKey))
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return Generated(
            certificatePEM: try certificate.serializeAsPEM().pemString + "\n" + authority.serializeAsPEM().pemString
                + "\n",
            privateKeyPEM: key.pemRepresentation, fingerprint: fingerprint(der: serializer.serializedBytes))
    }

    public static func fingerprint(der: [UInt8]) -> String {
        SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// The fingerprint of the first certificate in a PEM file's text (the server's own; a chain follows it).
    public static func fingerprint(pem: String) throws -> String {
        guard let first = try PEMDocument.parseMultiple(pemString: pem).first else {
            throw CertificateFactoryError("no certificate in the PEM text")
        }
        let certificate = try Certificate(pemDocument: first)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        return fingerprint(der: serializer.serializedBytes)
    }
}

/// A certificate file that holds no certificate.
public struct CertificateFactoryError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
