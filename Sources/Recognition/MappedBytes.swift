import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Read-only bytes of a file mapped into memory (or copied from `Data` for tests); reads never leave the bounds.
final class MappedBytes: @unchecked Sendable {
    // Immutable after init and never written through, so sharing across threads is safe.
    let count: Int
    private let base: UnsafeRawPointer?
    private let isMapped: Bool

    /// Maps the file at `path` read-only; a failure is reported by `describe` as the reason.
    init(mappingFileAt path: String, describe: (String) -> Error) throws {
        let descriptor = open(path, O_RDONLY)
        if descriptor < 0 { throw describe(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) != 0 { throw describe(String(cString: strerror(errno))) }
        count = Int(status.st_size)
        isMapped = count > 0
        if count == 0 {
            base = nil
            return
        }
        guard let address = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else {
            throw describe("mmap failed: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(address)
    }

    /// Copies `data` (for tests and hand-made files).
    init(copying data: Data) {
        count = data.count
        isMapped = false
        if data.isEmpty {
            base = nil
        } else {
            let memory = UnsafeMutableRawPointer.allocate(byteCount: data.count, alignment: 16)
            data.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress!, byteCount: data.count) }
            base = UnsafeRawPointer(memory)
        }
    }

    deinit {
        guard let base else { return }
        if isMapped {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        } else {
            base.deallocate()
        }
    }

    /// The little-endian integer at `offset`; the caller has checked `offset + size <= count`.
    func load<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
        precondition(offset >= 0 && offset + MemoryLayout<T>.size <= count, "read outside the mapping")
        return T(littleEndian: base!.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// A view of `byteCount` bytes at `offset`, valid while this object lives.
    func buffer(offset: Int, byteCount: Int) -> UnsafeRawBufferPointer {
        precondition(offset >= 0 && byteCount >= 0 && offset + byteCount <= count, "read outside the mapping")
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + offset, count: byteCount)
    }

    /// A copy of `byteCount` bytes at `offset`.
    func data(offset: Int, byteCount: Int) -> Data {
        Data(buffer(offset: offset, byteCount: byteCount))
    }
}
