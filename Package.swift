// swift-tools-version:6.1
// The module graph of DESIGN.md §2. Dependencies point one way:
// Protocol and Domain are leaves; Store builds on Domain and each backend (StoreSQLite) on Store; Server and
// Client on Protocol; the executables are the only places that choose concrete implementations.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "caseline",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CaseLineProtocol", targets: ["CaseLineProtocol"]),
        .library(name: "CaseLineClient", targets: ["CaseLineClient"]),
        .executable(name: "caseline-server", targets: ["caseline-server"]),
        .executable(name: "caseline", targets: ["caseline"]),
        .executable(name: "caseline-bench", targets: ["caseline-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // CLP/1 grammar, incremental parser, encoder, framing, limits. NIOCore only.
        .target(
            name: "CaseLineProtocol",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        // Entities, state machines, permission policy, validation, text folding, poverty rules. Pure.
        .target(name: "CaseLineDomain", swiftSettings: strictSettings),
        // The Store contract (protocol and guarantees) and what every backend shares: audit hashing and chain
        // verification, event and record encoding, unit import and the bundled units. No database here.
        .target(
            name: "CaseLineStore",
            dependencies: [
                "CaseLineDomain",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // Vietnam's administrative units, both editions, with lineage (Tools/units/build-units.py).
            resources: [.copy("Resources/admin-units.tsv")],
            swiftSettings: strictSettings
        ),
        // The embedded backend: SQLiteStore on GRDB (WAL, synchronous=FULL, group commit), its migrations.
        .target(
            name: "CaseLineStoreSQLite",
            dependencies: [
                "CaseLineStore", "CaseLineDomain",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API GRDB is built on: the poverty report steps its half a million rows raw.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // The shared backend: PostgresStore on postgres-nio (a PostgresClient pool), its migrations, events
        // across nodes through LISTEN/NOTIFY. Several server nodes share one database.
        .target(
            name: "CaseLineStorePostgres",
            dependencies: [
                "CaseLineStore", "CaseLineDomain",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // TLS listener, sessions, authentication, dispatch, events, limits, metrics, lifecycle.
        .target(
            name: "CaseLineServer",
            dependencies: [
                "CaseLineProtocol", "CaseLineDomain", "CaseLineStore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: strictSettings
        ),
        // Connection, TLS trust (CA / pinning), tagged request API, event stream.
        .target(
            name: "CaseLineClient",
            dependencies: [
                "CaseLineProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // libedit, for line editing in the client (Debian: libedit-dev).
        .systemLibrary(name: "CEdit", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .executableTarget(
            name: "caseline-server",
            dependencies: [
                "CaseLineServer", "CaseLineStore", "CaseLineStoreSQLite", "CaseLineStorePostgres", "CaseLineDomain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "caseline",
            dependencies: [
                "CaseLineClient", "CEdit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "caseline-bench",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            swiftSettings: strictSettings
        ),
        // libFuzzer entry point over the parser; built by Tools/fuzz with -sanitize=fuzzer.
        .executableTarget(
            name: "CaseLineFuzz",
            dependencies: ["CaseLineProtocol", "CaseLineServer", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CaseLineDomainTests",
            dependencies: ["CaseLineDomain"],
            swiftSettings: strictSettings
        ),
        // A throwaway PostgreSQL cluster for the tests (initdb and pg_ctl from the Debian package, on loopback).
        .target(
            name: "PostgresTestCluster", dependencies: ["CaseLineClient"], path: "Tests/PostgresTestCluster",
            swiftSettings: strictSettings),
        .testTarget(
            name: "CaseLineStoreTests",
            // Contract/ is the Store contract suite, run against every backend of StoreBackend.all; SQLite/ holds
            // what only the SQLite backend has.
            dependencies: [
                "CaseLineStore", "CaseLineStoreSQLite", "CaseLineStorePostgres", "PostgresTestCluster",
                "CaseLineDomain",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CaseLineServerTests",
            dependencies: [
                "CaseLineServer", "CaseLineClient", "CaseLineStore", "CaseLineStoreSQLite", "CaseLineStorePostgres",
                "PostgresTestCluster", "CaseLineDomain", "CaseLineProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            exclude: ["Peers"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CaseLineClientTests",
            // The caseline executable itself, for its settings (SwiftPM lets tests import an executable target).
            dependencies: ["CaseLineClient", "CaseLineProtocol", "caseline"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CaseLineProtocolTests",
            dependencies: ["CaseLineProtocol", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        // The conformance vectors, round trips, limits and the specification's coverage, against the server's
        // own command table (its registry is where commands are declared).
        .testTarget(
            name: "CaseLineConformanceTests",
            dependencies: [
                "CaseLineProtocol", "CaseLineServer", "CaseLineDomain", .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
