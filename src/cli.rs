//! The `tsunagari` command line. Every flag can also come from a `TSUNAGARI_…` environment
//! variable, so the same binary runs from a shell, a systemd unit or a container.

use crate::app;
use crate::config::{HttpConfig, ReadingsConfig, ServeConfig, TileLayer};
use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(
    name = "tsunagari",
    version,
    about = "Tsunagari Map (つながりマップ): a community resource map for social prescribing",
    long_about = "Tsunagari Map (つながりマップ) makes a community's resources visible: places to go \
                  (通いの場, サロン, 子ども食堂, まちの保健室 …) on a public map, a search for link \
                  workers, and tools for staff. It serves OGC API – Features under /api."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the map and the API. Creates and migrates the database if needed, and loads the
    /// sample Nabari data into an empty database unless --no-sample is given.
    Serve(ServeArgs),
    /// Create the database or bring its schema up to date, then exit.
    Migrate(DatabaseArgs),
    /// Import places from a GeoJSON FeatureCollection: every feature is checked first, and
    /// either all are imported or none (each error is listed with its feature number).
    Import(ImportArgs),
    /// Manage accounts: add, list, disable, password. Passwords are read from standard input
    /// (asked twice, without echo, on a terminal), never from the command line.
    #[command(subcommand)]
    User(UserCommand),
    /// Write synthetic national data for benchmarks (places around Japan's prefectural
    /// capitals, with the national shares of 通いの場) as a GeoJSON FeatureCollection on
    /// standard output, importable with `tsunagari import`.
    Generate(GenerateArgs),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account. Example: `tsunagari user add tanaka --role staff`
    Add {
        name: String,
        /// admin (manages accounts), staff (edits places) or linkworker (searches, prints).
        #[arg(long, value_parser = ["admin", "staff", "linkworker"])]
        role: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// List accounts with their roles and whether they are disabled.
    List {
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Disable an account: its sessions end at once, in every running server.
    Disable {
        name: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
    /// Set a new password: the account's sessions end at once.
    Password {
        name: String,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many places.
    #[arg(long, default_value_t = 150_000)]
    pub places: usize,
    /// The same seed gives the same places.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// A GeoJSON FeatureCollection of Points whose properties use the place field names.
    pub file: std::path::PathBuf,

    #[command(flatten)]
    pub db: DatabaseArgs,

    /// Check every feature and report, but import nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// The database: sqlite://FILE (created if missing).
    #[arg(
        long,
        env = "TSUNAGARI_DATABASE",
        default_value = "sqlite://tsunagari.db"
    )]
    pub database: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "TSUNAGARI_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    #[command(flatten)]
    pub db: DatabaseArgs,

    /// Do not load the sample Nabari data into an empty database.
    #[arg(long, env = "TSUNAGARI_NO_SAMPLE")]
    pub no_sample: bool,

    /// The URL clients reach the service at (e.g. https://map.example.jp), used in API links.
    /// Default: built from each request's Host header, which clients can forge; set this on
    /// any server others can reach (serve warns when listening beyond loopback without it).
    #[arg(long, env = "TSUNAGARI_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Base-map tile URL template ({z}/{x}/{y}); default 地理院タイル (GSI standard map).
    #[arg(long, env = "TSUNAGARI_TILE_URL", requires = "tile_attribution")]
    pub tile_url: Option<String>,

    /// Attribution text shown for --tile-url.
    #[arg(long, env = "TSUNAGARI_TILE_ATTRIBUTION")]
    pub tile_attribution: Option<String>,

    /// How many answers of 1 MB or more may be sent at once; more answer 503 with
    /// Retry-After. Each costs little memory (answers are streamed), but a slow client holds
    /// its permit until it has read the answer or is disconnected.
    #[arg(long, env = "TSUNAGARI_LARGE_ANSWERS", default_value_t = 16,
          value_parser = clap::value_parser!(u16).range(1..))]
    pub large_answers: u16,

    /// The directory of IPADIC's MeCab sources (*.csv, matrix.def, char.def, unk.def, UTF-8
    /// or EUC-JP), for the readings of names without name_kana and of query words in kanji.
    /// Default: /usr/share/mecab/dic/ipadic, where Debian's mecab-ipadic package puts them.
    /// Without it, search works on name_kana alone (and serve warns).
    #[arg(long, env = "TSUNAGARI_DICTIONARY")]
    pub dictionary: Option<std::path::PathBuf>,

    /// Where the compiled dictionary is cached between starts (compiling it takes seconds).
    /// Default: tsunagari-map in the user's cache directory (~/.cache on Linux).
    #[arg(long, env = "TSUNAGARI_DICTIONARY_CACHE")]
    pub dictionary_cache: Option<std::path::PathBuf>,

    /// No readings from a dictionary: search on name_kana alone.
    #[arg(long, env = "TSUNAGARI_NO_READINGS", conflicts_with = "dictionary")]
    pub no_readings: bool,
}

impl ServeArgs {
    pub fn into_config(self) -> anyhow::Result<ServeConfig> {
        let mut http = HttpConfig {
            public_url: self.public_url,
            large_answers: usize::from(self.large_answers),
            ..HttpConfig::default()
        };
        if let (Some(url), Some(attribution)) = (self.tile_url, self.tile_attribution) {
            let layer = TileLayer {
                name: attribution.clone(),
                url,
                attribution,
                attribution_url: String::new(),
            };
            anyhow::ensure!(
                layer.origin().is_some(),
                "--tile-url must be an http(s) URL template such as https://tiles.example.jp/{{z}}/{{x}}/{{y}}.png"
            );
            http.tile_layers.insert(0, layer);
        }
        Ok(ServeConfig {
            listen: self.listen,
            database: self.db.database,
            load_sample: !self.no_sample,
            header_read_timeout: crate::config::DEFAULT_HEADER_READ_TIMEOUT,
            http,
            readings: ReadingsConfig {
                dictionary: (!self.no_readings).then(|| {
                    self.dictionary
                        .unwrap_or_else(|| crate::readings::DEFAULT_DICTIONARY.into())
                }),
                cache: self
                    .dictionary_cache
                    .or_else(|| dirs::cache_dir().map(|d| d.join("tsunagari-map"))),
            },
        })
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            raise_open_file_limit();
            let config = args.into_config()?;
            if let Some(warning) = config.http.public_url_warning(config.listen) {
                tracing::warn!("{warning}");
            }
            let server = app::start(config).await?;
            println!(
                "Tsunagari Map is serving at http://{}/ (API: http://{}/api)",
                server.addr, server.addr
            );
            server.run_until_signal().await?;
        }
        Command::Migrate(args) => {
            app::open_store(&args.database, false).await?;
            println!("database {} is up to date", args.database);
        }
        Command::Import(args) => import(args).await?,
        Command::User(command) => user(command).await?,
        Command::Generate(args) => generate(args)?,
    }
    Ok(())
}

async fn import(args: ImportArgs) -> anyhow::Result<()> {
    use anyhow::Context;
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    // The import writes the store only: a server on the same database picks the new places
    // up from the change log within a second.
    let (store, reference) = app::open_store(&args.db.database, false).await?;
    let inputs = crate::interchange::geojson::read_feature_collection(&text)?;
    let mut valid = Vec::with_capacity(inputs.len());
    let mut failed = 0;
    for (i, input) in inputs.into_iter().enumerate() {
        match input.validate(&reference) {
            Ok(fields) => valid.push(fields),
            Err(errors) => {
                failed += 1;
                for e in errors {
                    eprintln!("feature {}: {e}", i + 1);
                }
            }
        }
    }
    anyhow::ensure!(
        failed == 0,
        "{failed} features have errors; nothing was imported"
    );
    if args.dry_run {
        println!(
            "{} places are valid; nothing imported (--dry-run)",
            valid.len()
        );
        return Ok(());
    }
    let created = crate::places::new_places(valid, "import");
    store.create_places(&created).await?;
    println!("imported {} places", created.len());
    Ok(())
}

async fn user(command: UserCommand) -> anyhow::Result<()> {
    use crate::accounts::{Accounts, AuthConfig};
    let database = match &command {
        UserCommand::Add { db, .. }
        | UserCommand::List { db }
        | UserCommand::Disable { db, .. }
        | UserCommand::Password { db, .. } => db.database.clone(),
    };
    let (store, _) = app::open_store(&database, false).await?;
    let accounts = Accounts::new(store.clone(), AuthConfig::default());
    match command {
        UserCommand::Add { name, role, .. } => {
            let role = crate::domain::Role::parse(&role).expect("clap checked the role");
            let password = read_new_password()?;
            accounts.add(&name, role, &password).await?;
            println!("added {name} ({role})");
        }
        UserCommand::List { .. } => {
            for a in store.accounts().await? {
                let state = if a.disabled { "disabled" } else { "active" };
                println!("{}\t{}\t{state}", a.username, a.role);
            }
        }
        UserCommand::Disable { name, .. } => {
            accounts.disable(&name).await?;
            println!("disabled {name}; its sessions have ended");
        }
        UserCommand::Password { name, .. } => {
            let password = read_new_password()?;
            accounts.set_password(&name, &password).await?;
            println!("changed the password of {name}; its sessions have ended");
        }
    }
    Ok(())
}

/// A new password from standard input: asked twice without echo on a terminal, one line
/// otherwise (for scripts: `printf '%s\n' "$PW" | tsunagari user add …`).
fn read_new_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (12–128 characters): ")?;
        let second = rpassword::prompt_password("Again: ")?;
        anyhow::ensure!(first == second, "the two passwords differ");
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        let password = line.trim_end_matches(['\r', '\n']).to_owned();
        anyhow::ensure!(!password.is_empty(), "no password on standard input");
        Ok(password)
    }
}

fn generate(args: GenerateArgs) -> anyhow::Result<()> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
    for (i, p) in crate::generate::synthetic_places(args.places, args.seed).enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        let (lon, lat) = p.location.expect("generated places have a location");
        let feature = serde_json::json!({
            "type": "Feature",
            "geometry": { "type": "Point", "coordinates": [lon, lat] },
            "properties": {
                "name": p.name, "category": p.category, "tags": p.tags,
                "description": p.description, "address": p.address, "schedule": p.schedule,
                "schedule_note": p.schedule_note, "cost": p.cost, "audience": p.audience,
                "source": p.source, "status": p.status, "sample": p.sample,
            },
        });
        serde_json::to_writer(&mut out, &feature)?;
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    Ok(())
}

/// Every connection is a file descriptor, and the soft limit is often 1,024: raise it to the
/// hard limit so that many slow clients cannot starve the server of descriptors.
fn raise_open_file_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::info!(limit, "open-file limit raised to the hard limit"),
        Err(e) => tracing::warn!(error = %e, "could not raise the open-file limit"),
    }
}
