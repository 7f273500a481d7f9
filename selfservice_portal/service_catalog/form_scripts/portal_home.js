// SSP: the way from any ticket in Helpdesk's customer portal back to the self-service home
// (/self-service: services, help articles, one's requests and approvals).
// Installed as an HD Form Script by selfservice_portal.
function setupForm() {
	// Helpdesk's portal defines window.__ (with {0} arguments); the fallback keeps the English text.
	const __ = window.__ || ((text, ...values) => values.reduce((s, v, i) => s.split(`{${i}}`).join(v), text));
	return {
		actions: [
			{
				label: __("Self-service home"),
				// iconLeft, not icon: Helpdesk binds the whole action onto a frappe-ui Button, where
				// `icon` makes an icon-only button without its label.
				iconLeft: "home",
				onClick: () => (window.location.href = "/self-service"),
			},
		],
	};
}
