//! The studio's entry point (built by trunk).

fn main() {
    sora_studio::mount();
}
