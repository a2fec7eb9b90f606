import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "hollow-test-" + UUID().uuidString
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
