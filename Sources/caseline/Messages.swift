import Foundation

/// The language of the client's own messages: Vietnamese or English, from `--lang`, `CASELINE_LANG`, or the
/// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`). Protocol codes (`NO [CONFLICT]` …), the server's own texts and
/// record keys are never translated: scripts and manuals depend on them.
enum Language: String, CaseIterable {
    case vi, en

    static func choose(flag: String?, environment: [String: String]) -> Language {
        if let chosen = (flag ?? environment["CASELINE_LANG"]).flatMap(Language.init(rawValue:)) { return chosen }
        let locale =
            [environment["LC_ALL"], environment["LC_MESSAGES"], environment["LANG"]].compactMap { $0 }.first {
                !$0.isEmpty
            } ?? ""
        return locale.lowercased().hasPrefix("vi") ? .vi : .en
    }

    /// Set once by `ClientCommand.run`, before any other task or thread exists; read-only afterwards.
    nonisolated(unsafe) static var current = Language.en
}

/// A message of the client in the chosen language; both texts stand side by side where the message is used.
func tr(_ english: String, vi vietnamese: String) -> String {
    Language.current == .vi ? vietnamese : english
}
