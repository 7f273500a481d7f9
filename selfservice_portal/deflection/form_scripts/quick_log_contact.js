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
	const t = window.__ || ((s) => s);
	const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
	const value = (id) => document.getElementById(id)?.value || null;
	const options = channels.map((c) => `<option value="${esc(c)}">${esc(t(c))}</option>`).join("");
	const html = `<div class="flex flex-col gap-2">
		<select id="ssp-cl-channel" class="form-select w-full">${options}</select>
		<input id="ssp-cl-contact" class="form-input w-full" maxlength="140"
			placeholder="${esc(t("E-mail or phone (optional)"))}" />
		<textarea id="ssp-cl-summary" class="form-textarea w-full" maxlength="1000"
			placeholder="${esc(t("Summary"))}"></textarea>
		<p id="ssp-cl-error" class="text-sm text-ink-red-4"></p>
	</div>`;
	const submit = async ({ close }) => {
		try {
			await call("selfservice_portal.api.channels.log_contact", {
				channel: value("ssp-cl-channel"),
				raised_by: value("ssp-cl-contact"),
				summary: value("ssp-cl-summary"),
			});
			close();
		} catch (e) {
			document.getElementById("ssp-cl-error").textContent = e?.messages?.join(" ") || e?.message || e;
		}
	};
	return {
		actions: [
			{
				label: t("Log contact"),
				icon: "phone-incoming",
				onClick: () =>
					$dialog({
						title: t("Log a contact that needs no ticket"),
						html,
						actions: [{ label: t("Log"), variant: "solid", onClick: submit }],
					}),
			},
		],
	};
}
