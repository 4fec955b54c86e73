import Foundation

/// A folder of lessons: the audio, the sidecar transcripts and the manifest (`lessons.txt`) that lists them.
///
///     let library = LessonLibrary(folder: LessonLibrary.defaultFolder())
///     var manifest = try library.loadManifest()
///     try manifest.upsert(Lesson(title: try LessonTitle("Magnets"), language: "en", source: .recorded))
///     try library.save(manifest)
///
/// A library value is immutable; the manifest is written whole to a temporary file and renamed over the old one,
/// so a crash leaves either the old or the new list, never half of one. Two programs adding lessons at the same
/// moment may lose one of the two additions (the last writer wins): the kiosk has one teacher at a time.
public struct LessonLibrary: Sendable {
    /// The folder holding the lessons.
    public let folder: URL

    /// A library in `folder` (created when the first lesson is saved).
    public init(folder: URL) { self.folder = folder.standardizedFileURL }

    /// `$VOICETUTOR_LESSONS`, else `$XDG_DATA_HOME/voicetutor/lessons`, else `~/.local/share/voicetutor/lessons`.
    public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = environment["VOICETUTOR_LESSONS"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
            return URL(fileURLWithPath: data, isDirectory: true).appendingPathComponent("voicetutor/lessons")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/share/voicetutor/lessons")
    }

    /// The manifest file.
    public var manifestURL: URL { folder.appendingPathComponent(LessonManifest.fileName) }

    /// A file of the library by its plain name; the name was checked when the manifest was read or the title made.
    public func url(of fileName: String) -> URL { folder.appendingPathComponent(fileName) }

    /// The manifest, or an empty one when the library has none yet.
    public func loadManifest() throws -> LessonManifest {
        let path = manifestURL.path
        guard FileManager.default.fileExists(atPath: path) else { return LessonManifest() }
        let text: String
        do {
            text = try String(contentsOf: manifestURL, encoding: .utf8)
        } catch {
            throw LessonError.fileFailed(
                path: path, reason: "cannot read it as UTF-8 text: \(error.localizedDescription)")
        }
        return try LessonManifest(text: text, path: path)
    }

    /// Writes the manifest atomically, creating the folder when needed.
    public func save(_ manifest: LessonManifest) throws {
        try writeAtomically(manifest.text, to: manifestURL)
    }

    /// Writes a text file of the library atomically (temporary file, fsync, rename).
    public func writeAtomically(_ text: String, to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw LessonError.fileFailed(path: folder.path, reason: "cannot create the library folder: \(error)")
        }
        let temporary = url.appendingPathExtension("partial")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8)) else {
            throw LessonError.fileFailed(
                path: temporary.path, reason: "cannot write it: \(String(cString: strerror(errno)))")
        }
        let descriptor = open(temporary.path, O_RDONLY | O_CLOEXEC)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw LessonError.fileFailed(path: url.path, reason: "cannot replace it: \(reason)")
        }
    }

    /// The lesson with this title, or an error naming the library.
    public func lesson(titled title: LessonTitle, in manifest: LessonManifest) throws -> Lesson {
        guard let lesson = manifest.lesson(titled: title) else {
            throw LessonError.unknownLesson(title: title.text, library: folder.path)
        }
        return lesson
    }
}
