from tests.api.test_records import tickets, sample_rows
from tests.factories import make_records, list_all
async def test_dbg(client):
    await tickets(client)
    await make_records(client, "tickets", sample_rows())
    for r in await list_all(client, "tickets", sort="status,-due,id"):
        print(r["id"], r["status"], r["due"], r["priority"])
