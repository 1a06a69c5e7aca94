// The Store protocol and its SQLite implementation (GRDB, WAL) arrive with the server issue (#3).
import CaseLineDomain

public enum CaseLineStore {}
