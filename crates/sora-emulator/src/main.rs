//! The `sora-emulator` binary.

use std::io::Write;

use clap::Parser;
use sora_emulator::Config;

#[tokio::main]
async fn main() {
    let mut config = Config::parse();
    if config.admin_token.is_none() {
        match sora_emulator::ids::admin_token() {
            Ok(token) => {
                // On stderr: stdout's first line is the address launchers parse.
                eprintln!("admin token: {token}");
                config.admin_token = Some(token);
            }
            Err(error) => {
                eprintln!("sora-emulator: cannot make an admin token ({error}): pass --admin-token");
                std::process::exit(1);
            }
        }
    }
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("sora-emulator: cannot listen on {}: {error}", config.listen);
            std::process::exit(1);
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(error) => {
            eprintln!("sora-emulator: cannot read the bound address: {error}");
            std::process::exit(1);
        }
    };
    // Launchers read this exact first line to learn the port.
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "sora-emulator listening on http://{addr}");
    let _ = stdout.flush();
    tokio::select! {
        result = sora_emulator::serve(listener, config) => {
            if let Err(error) = result {
                eprintln!("sora-emulator: {error}");
                std::process::exit(1);
            }
        }
        _ = tokio::signal::ctrl_c() => {}
    }
}
