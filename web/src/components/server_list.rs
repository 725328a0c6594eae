//! The ensemble as a list of servers and their states.

use yew::prelude::*;

use crate::ServerRow;

/// Props of [`ServerList`].
#[derive(Properties, PartialEq)]
pub struct ServerListProps {
    /// The servers, in id order.
    pub servers: Vec<ServerRow>,
}

/// Lists the servers as `<li class="server" data-id=… data-state=…>` in `#servers`.
#[component]
pub fn ServerList(props: &ServerListProps) -> Html {
    if props.servers.is_empty() {
        return html! { <p id="servers" class="empty">{ "No servers." }</p> };
    }
    html! {
        <ul id="servers" class="servers">
            { for props.servers.iter().map(|server| html! {
                <li class="server" key={server.id} data-id={server.id.to_string()} data-state={server.state}>
                    <span class="server-name">{ format!("server {}", server.id) }</span>
                    <span class="server-state">{ server.state }</span>
                </li>
            }) }
        </ul>
    }
}
