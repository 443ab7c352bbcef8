//! `anchornet user` and `anchornet anchor`: manage a workspace's users and anchors.

use std::io::BufRead;
use std::path::PathBuf;

use anchornet_store::{password, Role, Username};
use anyhow::Context;

/// Manage the workspace's users: add, list, change a role, disable, enable, delete, reset a
/// password (a new one is then required at the next sign-in).
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub action: UserAction,
    /// The workspace directory.
    #[arg(long, global = true, env = "ANCHORNET_WORKSPACE", default_value = ".")]
    pub workspace: PathBuf,
}

/// What to do.
#[derive(clap::Subcommand, Debug)]
pub enum UserAction {
    /// Add a user. The password is read from stdin (`--password-stdin`), or from
    /// ANCHORNET_PASSWORD, or generated and shown once.
    Add {
        /// User name.
        name: String,
        /// admin, member or viewer.
        #[arg(long)]
        role: String,
        /// A member's anchor (name).
        #[arg(long)]
        anchor: Option<String>,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users (id, name, role, and `disabled` or `must-change-password`).
    List,
    /// Disable a user: sign-in refused, sessions ended; their history stays.
    Disable {
        /// User name.
        name: String,
    },
    /// Enable a disabled user again.
    Enable {
        /// User name.
        name: String,
    },
    /// Delete a user and their sessions (the audit log keeps the name).
    Delete {
        /// User name.
        name: String,
    },
    /// Reset a user's password: a temporary one (from stdin with `--password-stdin`, or
    /// ANCHORNET_PASSWORD, or generated and shown once) that must be changed at the next
    /// sign-in; their sessions end.
    Reset {
        /// User name.
        name: String,
        /// Read the temporary password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change a user's role (their sessions end).
    Role {
        /// User name.
        name: String,
        /// admin, member or viewer.
        #[arg(long)]
        role: String,
        /// A member's anchor (name).
        #[arg(long)]
        anchor: Option<String>,
    },
}

/// Manage the workspace's anchors.
#[derive(clap::Args, Debug)]
pub struct AnchorArgs {
    #[command(subcommand)]
    pub action: AnchorAction,
    /// The workspace directory.
    #[arg(long, global = true, env = "ANCHORNET_WORKSPACE", default_value = ".")]
    pub workspace: PathBuf,
}

/// What to do.
#[derive(clap::Subcommand, Debug)]
pub enum AnchorAction {
    /// Add an anchor.
    Add {
        /// Name used in every output.
        name: String,
        /// council, nhs_trust, university, college, housing_association, police, fire, other.
        #[arg(long, default_value = "council")]
        kind: String,
    },
    /// List anchors.
    List,
}

async fn store(
    dir: &std::path::Path,
) -> anyhow::Result<std::sync::Arc<dyn anchornet_store::Store>> {
    let cfg = anchornet_web::workspace::WorkspaceConfig::load(dir)?;
    Ok(cfg.open_store().await?)
}

async fn role(
    s: &dyn anchornet_store::Store,
    role: &str,
    anchor: Option<&str>,
) -> anyhow::Result<Role> {
    let anchor_id = match anchor {
        Some(n) => Some(
            s.anchors()
                .await?
                .into_iter()
                .find(|a| a.name == n)
                .with_context(|| format!("no anchor named `{n}` (see `anchornet anchor list`)"))?
                .id,
        ),
        None => None,
    };
    Ok(match (role, anchor_id) {
        ("admin", None) => Role::Admin,
        ("viewer", None) => Role::Viewer,
        ("member", Some(a)) => Role::Member(a),
        ("member", None) => anyhow::bail!("a member needs --anchor NAME"),
        (r, _) => anyhow::bail!("--role {r}: admin, member (with --anchor) or viewer"),
    })
}

/// A password from stdin's first line, or ANCHORNET_PASSWORD, or generated (then `true`).
fn new_password(stdin: bool) -> anyhow::Result<(String, bool)> {
    Ok(if stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else if let Ok(p) = std::env::var("ANCHORNET_PASSWORD") {
        (p, false)
    } else {
        (password::token()[..20].to_string(), true)
    })
}

async fn find(s: &dyn anchornet_store::Store, name: &str) -> anyhow::Result<anchornet_store::User> {
    let name = Username::parse(name)?;
    Ok(s.user_login(&name)
        .await?
        .with_context(|| format!("no user `{name}` (see `anchornet user list`)"))?
        .0)
}

pub fn run(a: Args) -> anyhow::Result<u8> {
    super::serve::runtime()?.block_on(async {
        let s = store(&a.workspace).await?;
        match a.action {
            UserAction::Add {
                name,
                role: r,
                anchor,
                password_stdin,
            } => {
                let name = Username::parse(&name)?;
                let role = role(s.as_ref(), &r, anchor.as_deref()).await?;
                let (pw, generated) = new_password(password_stdin)?;
                let u = s.add_user(&name, &password::hash(&pw)?, role).await?;
                s.audit(
                    "cli",
                    "user.add",
                    &format!("{} as {:?}", u.username, u.role),
                )
                .await?;
                println!("added user {} ({})", u.username, u.role.name());
                if generated {
                    eprintln!("password (shown once): {pw}");
                }
            }
            UserAction::List => {
                for u in s.users().await? {
                    let status = match s.account_status(u.id).await? {
                        (true, _) => "\tdisabled",
                        (false, true) => "\tmust-change-password",
                        _ => "",
                    };
                    println!("{}\t{}\t{}{status}", u.id, u.username, u.role.name());
                }
            }
            UserAction::Disable { name } => {
                let u = find(s.as_ref(), &name).await?;
                s.set_disabled(u.id, true).await?;
                s.audit("cli", "user.disable", &name).await?;
                println!("{name} is disabled (sessions ended)");
            }
            UserAction::Enable { name } => {
                let u = find(s.as_ref(), &name).await?;
                s.set_disabled(u.id, false).await?;
                s.audit("cli", "user.enable", &name).await?;
                println!("{name} is enabled");
            }
            UserAction::Delete { name } => {
                let u = find(s.as_ref(), &name).await?;
                s.delete_user(u.id).await?;
                s.audit("cli", "user.delete", &name).await?;
                println!("{name} is deleted");
            }
            UserAction::Reset {
                name,
                password_stdin,
            } => {
                let u = find(s.as_ref(), &name).await?;
                let (pw, generated) = new_password(password_stdin)?;
                s.reset_password(u.id, &password::hash(&pw)?).await?;
                s.audit(
                    "cli",
                    "user.reset",
                    &format!("{name}: password reset, change required"),
                )
                .await?;
                println!("{name}: password reset; a new one must be chosen at the next sign-in");
                if generated {
                    eprintln!("temporary password (shown once): {pw}");
                }
            }
            UserAction::Role {
                name,
                role: r,
                anchor,
            } => {
                let name = Username::parse(&name)?;
                let role = role(s.as_ref(), &r, anchor.as_deref()).await?;
                let (u, _) = s
                    .user_login(&name)
                    .await?
                    .with_context(|| format!("no user `{name}`"))?;
                s.set_role(u.id, role).await?;
                s.audit("cli", "user.role", &format!("{name} is now {role:?}"))
                    .await?;
                println!("{name} is now {}", role.name());
            }
        }
        Ok(0)
    })
}

pub fn run_anchor(a: AnchorArgs) -> anyhow::Result<u8> {
    super::serve::runtime()?.block_on(async {
        let s = store(&a.workspace).await?;
        match a.action {
            AnchorAction::Add { name, kind } => {
                anyhow::ensure!(
                    anchornet_web::workspace::anchor_kind(&kind).is_some(),
                    "--kind {kind}: one of {}",
                    anchornet_web::workspace::ANCHOR_KINDS.join(", ")
                );
                let an = s.add_anchor(&name, &kind).await?;
                s.audit("cli", "anchor.add", &format!("{} ({})", an.name, an.kind))
                    .await?;
                println!("added anchor {} (id {})", an.name, an.id);
            }
            AnchorAction::List => {
                for an in s.anchors().await? {
                    println!("{}\t{}\t{}", an.id, an.name, an.kind);
                }
            }
        }
        Ok(0)
    })
}
