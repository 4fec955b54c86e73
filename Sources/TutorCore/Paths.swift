import Foundation

/// Where VoiceTutor keeps what is not in the clone.
public enum TutorPaths {
    /// The model cache: `$VOICETUTOR_CACHE`, else `$XDG_CACHE_HOME/voicetutor`, else `~/.cache/voicetutor`.
    ///
    /// It lives outside the clone so that a fresh clone reuses models fetched before.
    public static func cacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = environment["VOICETUTOR_CACHE"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("voicetutor", isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true)
            .appendingPathComponent(".cache/voicetutor", isDirectory: true)
    }
}
