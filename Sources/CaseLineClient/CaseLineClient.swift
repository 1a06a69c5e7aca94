// The client connection (TLS trust, tagged requests, event stream) arrives with issue #6.
import CaseLineProtocol

public enum CaseLineClient {}
