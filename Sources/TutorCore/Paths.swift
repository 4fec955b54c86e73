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

extension TutorPaths {
    /// The folder holding Models/, Voices/, Lexicons/, Curriculum/ and Samples/.
    ///
    /// `$VOICETUTOR_HOME` when set; otherwise the nearest folder above the running executable (a build inside the
    /// clone) or above the current directory that contains `Models/manifest.tsv`; otherwise the current directory.
    public static func resourceDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath(),
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    ) -> URL {
        if let home = environment["VOICETUTOR_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home, isDirectory: true)
        }
        for start in [currentDirectory, executable.deletingLastPathComponent()] {
            var folder = start.standardizedFileURL
            while true {
                let manifest = folder.appendingPathComponent("Models/manifest.tsv")
                if FileManager.default.fileExists(atPath: manifest.path) { return folder }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return currentDirectory
    }

    /// The committed model manifest inside the resource directory.
    public static func manifestFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        resourceDirectory(environment: environment).appendingPathComponent("Models/manifest.tsv")
    }
}

extension TutorPaths {
    /// The default language model in the cache: SmolLM2-135M-Instruct Q4_1 (Models/manifest.tsv).
    public static func defaultLanguageModelFile(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        cacheDirectory(environment: environment).appendingPathComponent("models/smollm2-135m-instruct-q4_1.gguf")
    }
}
