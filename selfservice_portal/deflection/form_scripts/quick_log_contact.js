// SSP: "Log contact" on Helpdesk's agent new-ticket page, for a call or message that needs no ticket.
// Installed as an HD Form Script by selfservice_portal; validation and storage live in our API.
async function setupForm({ call, $dialog }) {
	// Helpdesk loads new-page scripts on the customer's new-ticket page too.
	if (window.location.pathname.includes("/my-tickets")) return { actions: [] };
	let channels = [];
	try {
		channels = await call("selfservice_portal.api.channels.get_contact_channels");
	} catch (e) {
		return { actions: [] };
	}
	// Helpdesk's portal defines window.__ (with {0} arguments); the fallback keeps the English text.
	const __ = window.__ || ((text, ...values) => values.reduce((s, v, i) => s.split(`{${i}}`).join(v), text));
	const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
	// Server messages may carry markup (<strong>); show them as text.
	const plain = (s) => new DOMParser().parseFromString(String(s), "text/html").body.textContent;
	const el = (id) => document.getElementById(id);
	const value = (id) => el(id)?.value || null;
	const options = channels.map((c) => `<option value="${esc(c)}">${esc(__(c))}</option>`).join("");
	const html = `<div class="flex flex-col gap-2">
		<label class="text-sm text-ink-gray-7" for="ssp-cl-channel">${esc(__("Channel"))}</label>
		<select id="ssp-cl-channel" class="form-select w-full">${options}</select>
		<label class="text-sm text-ink-gray-7" for="ssp-cl-contact">${esc(__("Who contacted us (optional)"))}</label>
		<input id="ssp-cl-contact" class="form-input w-full" maxlength="140"
			placeholder="${esc(__("E-mail or phone"))}" />
		<label class="text-sm text-ink-gray-7" for="ssp-cl-summary">${esc(__("Summary"))} *</label>
		<textarea id="ssp-cl-summary" class="form-textarea w-full" maxlength="1000" required
			aria-describedby="ssp-cl-error" placeholder="${esc(__("What was it about?"))}"></textarea>
		<p id="ssp-cl-error" class="text-sm text-ink-red-4" role="alert"></p>
	</div>`;
	const showError = (text) => {
		const summary = el("ssp-cl-summary");
		if (summary) {
			summary.setAttribute("aria-invalid", text ? "true" : "false");
			summary.style.borderColor = text ? "#e03636" : "";
			if (text) summary.focus();
		}
		if (el("ssp-cl-error")) el("ssp-cl-error").textContent = text;
	};
	const toast = (text) => {
		// Helpdesk gives form scripts no toast; a small status note that goes away by itself.
		const note = document.createElement("div");
		note.className = "ssp-toast";
		note.setAttribute("role", "status");
		note.textContent = text;
		Object.assign(note.style, {
			position: "fixed",
			bottom: "1.5rem",
			left: "50%",
			transform: "translateX(-50%)",
			zIndex: 10000,
			background: "#171717",
			color: "#fff",
			padding: "0.6rem 1rem",
			borderRadius: "0.5rem",
			fontSize: "0.875rem",
			boxShadow: "0 4px 12px rgba(0,0,0,.2)",
		});
		document.body.appendChild(note);
		setTimeout(() => note.remove(), 5000);
	};
	let saving = false;
	// The dialog disables "Log" while this runs; the flag also covers a click that lands in between.
	const submit = async ({ close }) => {
		if (saving) return;
		saving = true;
		showError("");
		try {
			const logged = await call("selfservice_portal.api.channels.log_contact", {
				channel: value("ssp-cl-channel"),
				raised_by: value("ssp-cl-contact"),
				summary: value("ssp-cl-summary"),
			});
			close();
			toast(__("{0} contact logged").replace("{0}", __(logged.channel)));
		} catch (e) {
			showError((e?.messages || [e?.message || String(e)]).map(plain).join(" "));
		} finally {
			saving = false;
		}
	};
	// Helpdesk 1.25.1's CustomActions both binds and listens to onClick, so it runs twice per click.
	let openedAt = 0;
	return {
		actions: [
			{
				label: __("Log contact"),
				// iconLeft keeps the label: an `icon` makes frappe-ui's Button icon-only.
				iconLeft: "phone-incoming",
				onClick: () => {
					if (Date.now() - openedAt < 1000) return;
					openedAt = Date.now();
					$dialog({
						title: __("Log a contact that needs no ticket"),
						html,
						actions: [{ label: __("Log", null, "Log a contact"), variant: "solid", onClick: submit }],
					});
				},
			},
		],
	};
}
