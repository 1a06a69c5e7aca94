// The TLS server (sessions, authentication, dispatch, limits, lifecycle) arrives with issue #3.
import CaseLineProtocol

public enum CaseLineServer {}
