import Testing

/// The end-to-end server suites run one at a time: several of them measure time (timeouts, throttling delays,
/// SIGTERM under load) or saturate the machine on purpose (a client that never reads), and on two cores they
/// would disturb each other if run in parallel.
@Suite(.serialized)
enum ServerSuites {}
